using System.Globalization;
using System.Text;

namespace Rapport.Bench.Reporting;

/// <summary>
/// What one line of the benchmark must reach. <c>ratio</c> is Rapport's figure divided by the ceiling's: a share of a
/// rate (≥ 30% of pgbench), or a multiple of a latency (≤ 3× the direct query); <c>MaxValue</c> bounds Rapport's own
/// figure (p95 ≤ 20 ms, ≤ 300 MB). A line with no bound is reported only (status <c>info</c>).
/// </summary>
public sealed record Target(double? MinRatio = null, double? MaxRatio = null, double? MaxValue = null)
{
    public static readonly Target None = new();

    public bool IsNone => MinRatio is null && MaxRatio is null && MaxValue is null;

    public string Text(string unit) => IsNone ? "—" : string.Join(", ", new[]
    {
        MinRatio is { } min ? string.Create(CultureInfo.InvariantCulture, $"≥ {min:P0}") : null,
        MaxRatio is { } max ? string.Create(CultureInfo.InvariantCulture, $"≤ {max:0.##}×") : null,
        MaxValue is { } value ? $"≤ {Scoreboard.Number(value)} {unit}" : null,
    }.OfType<string>());

    public bool Met(double? ratio, double value) =>
        (MinRatio is not { } min || ratio >= min) && (MaxRatio is not { } max || ratio <= max) && (MaxValue is not { } bound || value <= bound);
}

/// <summary>
/// One run's figure for one line: Rapport's value and, where there is one, the ceiling's (same unit), or a text shown
/// instead of Rapport's value (a query plan). <paramref name="Ceiling"/> may be Rapport itself elsewhere (deep page vs first
/// page, 1M rows vs 10k rows): the workload says what the line compares.
/// </summary>
public sealed record Figure(string Workload, string Database, string Unit, double? Ceiling, double Rapport, Target Target, string? Shown = null);

/// <summary>A line of the table: the medians over the runs of its figures.</summary>
public sealed record ScoreLine(string Workload, string Database, string Unit, double? Ceiling, double Rapport, Target Target, string? Shown, int Runs)
{
    public double? Ratio => Ceiling is > 0 ? Rapport / Ceiling : null;

    public string Status => Target.IsNone ? "info" : Target.Met(Ratio, Rapport) ? "pass" : "fail";
}

/// <summary>Collects the figures of every workload and renders one table, as text and as markdown.</summary>
public sealed class Scoreboard
{
    private readonly List<Figure> _figures = [];

    public List<string> Notes { get; } = [];

    /// <summary>Markdown blocks shown after the table (profiles).</summary>
    public List<string> Sections { get; } = [];

    public void Add(Figure figure)
    {
        lock (_figures)
        {
            _figures.Add(figure);
        }
    }

    public IReadOnlyList<ScoreLine> Lines()
    {
        lock (_figures)
        {
            return
            [
                .. _figures.GroupBy(f => (f.Workload, f.Database)).Select(g => new ScoreLine(
                    g.Key.Workload, g.Key.Database, g.First().Unit,
                    g.Any(f => f.Ceiling is not null) ? Stats.Median(g.Where(f => f.Ceiling is not null).Select(f => f.Ceiling!.Value)) : null,
                    Stats.Median(g.Select(f => f.Rapport)), g.Last().Target, g.Last().Shown, g.Count())),
            ];
        }
    }

    private static readonly string[] Headers = ["workload", "db", "ceiling", "Rapport", "ratio", "goal", "status", "runs"];
    private static readonly bool[] RightAligned = [false, false, true, true, true, false, false, false];

    public static string[] Cells(ScoreLine l) =>
    [
        l.Workload, l.Database, l.Ceiling is { } c ? $"{Number(c)} {l.Unit}" : "—", l.Shown ?? $"{Number(l.Rapport)} {l.Unit}",
        l.Ratio is { } r ? RatioText(r, l.Target) : "—", l.Target.Text(l.Unit), l.Status, l.Runs == 1 ? "1" : $"median of {l.Runs}",
    ];

    public string Text()
    {
        var rows = Lines().Select(Cells).Prepend(Headers).ToList();
        var widths = Enumerable.Range(0, Headers.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => RightAligned[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString();
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Headers) + " |");
        text.AppendLine("|" + string.Join("|", RightAligned.Select(right => right ? "---:" : "---")) + "|");
        foreach (var line in Lines())
        {
            text.AppendLine("| " + string.Join(" | ", Cells(line).Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        return text.ToString();
    }

    /// <summary>A share for a rate goal (31%), a multiple for a latency or count (2.4×).</summary>
    private static string RatioText(double ratio, Target target) => target.MinRatio is not null
        ? ratio.ToString(ratio < 0.01 ? "P2" : "P0", CultureInfo.InvariantCulture)
        : ratio.ToString(ratio < 10 ? "0.0#" : "N0", CultureInfo.InvariantCulture) + "×";

    /// <summary>Three significant figures, thousands separated: 12,345 · 123 · 12.3 · 1.23 · 0.123.</summary>
    public static string Number(double value) => Math.Abs(value) switch
    {
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.##", CultureInfo.InvariantCulture),
        0 => "0",
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };
}

/// <summary>Medians and percentiles of measured values.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>The <paramref name="percent"/>th percentile, interpolated between the two nearest ranks (as spreadsheets do).</summary>
    public static double Percentile(IEnumerable<double> values, double percent)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No values to take a percentile of.");
        }

        var rank = percent / 100 * (sorted.Length - 1);
        var (low, high) = ((int)Math.Floor(rank), (int)Math.Ceiling(rank));
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
