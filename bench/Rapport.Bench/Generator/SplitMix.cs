namespace Rapport.Bench.Generator;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its definition, so a seed gives the same file on every
/// machine and every .NET version (<see cref="Random"/>'s algorithm is an implementation detail).
/// </summary>
public sealed class SplitMix(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, max).</summary>
    public int Next(int max) => (int)(NextDouble() * max);

    public int Next(int min, int max) => min + Next(max - min);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A version 7 Guid (time-ordered like the ones Rapport makes) for <paramref name="unixMilliseconds"/>, its random bits from this generator.</summary>
    public Guid NextGuidV7(long unixMilliseconds)
    {
        Span<byte> bytes = stackalloc byte[16];
        var (a, b) = (NextULong(), NextULong());
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(unixMilliseconds >> (8 * (5 - i)));
        }

        bytes[6] = (byte)(0x70 | (a & 0x0F));
        bytes[7] = (byte)(a >> 8);
        bytes[8] = (byte)(0x80 | ((a >> 16) & 0x3F));
        for (var i = 9; i < 16; i++)
        {
            bytes[i] = (byte)(b >> (8 * (i - 9)));
        }

        return new Guid(bytes, bigEndian: true);
    }
}

/// <summary>Picks items in proportion to their weights (binary search over the running sums).</summary>
public sealed class WeightedPick<T>
{
    private readonly T[] _items;
    private readonly double[] _sums;

    public WeightedPick(IEnumerable<(T Item, double Weight)> items)
    {
        var list = items.ToList();
        _items = [.. list.Select(i => i.Item)];
        _sums = new double[list.Count];
        var sum = 0.0;
        for (var i = 0; i < list.Count; i++)
        {
            _sums[i] = sum += list[i].Weight;
        }
    }

    public T Next(SplitMix rng)
    {
        var index = Array.BinarySearch(_sums, rng.NextDouble() * _sums[^1]);
        return _items[index < 0 ? ~index : index];
    }

    /// <summary>Weights falling with rank, as surnames and company sizes do (a Zipf-like curve).</summary>
    public static WeightedPick<T> ByRank(IReadOnlyList<T> items, double flatten = 5) =>
        new(items.Select((item, rank) => (item, 1.0 / (rank + flatten))));
}
