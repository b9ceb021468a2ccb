using System.Globalization;
using System.Text;

namespace Rapport.Bench.Reporting;

/// <summary>What a workload must reach: a share of its ceiling's rate and/or a ceiling on the server's peak memory.</summary>
public sealed record Goal(double? MinRatio = null, long? MaxPeakBytes = null)
{
    public const long Megabyte = 1024 * 1024;

    public string Text => string.Join(", ", new[]
    {
        MinRatio is { } ratio ? string.Create(CultureInfo.InvariantCulture, $"≥ {ratio:P0}") : null,
        MaxPeakBytes is { } bytes ? $"≤ {bytes / Megabyte} MB" : null,
    }.OfType<string>());

    /// <summary>No goal: the line is there to be read (status <c>info</c>).</summary>
    public bool IsNone => MinRatio is null && MaxPeakBytes is null;

    public bool Met(double ratio, long peakBytes) => (MinRatio is not { } min || ratio >= min) && (MaxPeakBytes is not { } max || peakBytes <= max);
}

/// <summary>One run of one workload on one database: the ceiling's and Rapport's rates, and the server's peak resident memory.</summary>
public sealed record Sample(string Workload, string Database, double CeilingRate, double RapportRate, long PeakBytes);

/// <summary>A line of the table: medians over the runs (peak memory: the highest of them).</summary>
public sealed record Line(string Workload, string Database, double CeilingRate, double RapportRate, Goal Goal, long PeakBytes, int Runs)
{
    public double Ratio => CeilingRate > 0 ? RapportRate / CeilingRate : 0;
    public bool Passed => Goal.Met(Ratio, PeakBytes);
}

/// <summary>Collects samples and notes, and renders the table as text and as markdown.</summary>
public sealed class Results
{
    private readonly List<Sample> _samples = [];
    private readonly Dictionary<string, Goal> _goals = [];

    public List<string> Notes { get; } = [];

    public void Add(Sample sample, Goal goal)
    {
        _samples.Add(sample);
        _goals[sample.Workload] = goal;
    }

    public IReadOnlyList<Line> Lines() =>
    [
        .. _samples.GroupBy(s => (s.Workload, s.Database)).Select(g => new Line(
            g.Key.Workload, g.Key.Database, Stats.Median(g.Select(s => s.CeilingRate)), Stats.Median(g.Select(s => s.RapportRate)),
            _goals[g.Key.Workload], g.Max(s => s.PeakBytes), g.Count())),
    ];

    private static readonly string[] Headers = ["workload", "db", "ceiling rows/s", "Rapport rows/s", "ratio", "goal", "status", "peak RSS", "runs"];

    private static string[] Cells(Line l) =>
    [
        l.Workload, l.Database, Rate(l.CeilingRate), Rate(l.RapportRate), l.Ratio.ToString(l.Ratio < 0.01 ? "P2" : "P1", CultureInfo.InvariantCulture), l.Goal.Text,
        l.Goal.IsNone ? "info" : l.Passed ? "pass" : "fail", $"{l.PeakBytes / Goal.Megabyte} MB", l.Runs == 1 ? "1 run" : $"median of {l.Runs}",
    ];

    public string Text()
    {
        var rows = Lines().Select(Cells).Prepend(Headers).ToList();
        var widths = Enumerable.Range(0, Headers.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i is 2 or 3 or 4 or 7 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString();
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Headers) + " |");
        text.AppendLine("|" + string.Join("|", Headers.Select((_, i) => i is 2 or 3 or 4 or 7 ? "---:" : "---")) + "|");
        foreach (var line in Lines())
        {
            text.AppendLine("| " + string.Join(" | ", Cells(line)) + " |");
        }

        return text.ToString();
    }

    private static string Rate(double rate) => rate.ToString(rate >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture);
}
