namespace Rapport.Bench.Generator;

/// <summary>
/// Deterministic deals for the pipeline report (issue 7): the same rows for the same count and seed. Each deal is in one
/// of the pipeline's stages (more in the early ones), in the base currency (USD) four times in five, else EUR or CNY,
/// with an amount (one in twenty has none) and a close date over three years (2025–2027).
/// </summary>
public static class DealSet
{
    public static readonly string[] Currencies = ["USD", "EUR", "CNY"];
    public static readonly DateOnly FirstClose = new(2025, 1, 1);
    public const int CloseDays = 3 * 365;

    public sealed record Stage(Guid Id, string Kind);

    public sealed record Row(Guid Id, string Name, decimal? Amount, string Currency, DateOnly CloseDate, Guid StageId, string Status, DateTimeOffset CreatedAt);

    public static IEnumerable<Row> Generate(int rows, ulong seed, IReadOnlyList<Stage> stages)
    {
        var rng = new SplitMix(seed ^ 0xDEA15UL);
        var stage = WeightedPick<Stage>.ByRank(stages, flatten: 3);
        var currency = new WeightedPick<string>([("USD", 0.8), ("EUR", 0.15), ("CNY", 0.05)]);
        var start = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < rows; i++)
        {
            var created = start.AddSeconds(rng.Next(0, 3 * 365 * 86_400));
            var picked = stage.Next(rng);
            decimal? amount = rng.Chance(0.05) ? null : Math.Round((decimal)(rng.NextDouble() * 100_000), 2);
            yield return new Row(rng.NextGuidV7(created.ToUnixTimeMilliseconds()), $"Deal {i + 1}", amount, currency.Next(rng),
                FirstClose.AddDays(rng.Next(CloseDays)), picked.Id, picked.Kind, created);
        }
    }
}
