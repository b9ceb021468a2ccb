using System.Globalization;
using System.Text.Json;
using System.Text;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Splits the time of an import job into phases from a <c>dotnet-trace</c> thread-time sample (~100 Hz, converted to
/// speedscope JSON): every sampled interval whose stack runs through <c>ImportJob.RunAsync</c> goes to the first phase
/// below that one of its frames names. Time the job spends on no thread (awaiting the database over the network, GC
/// pauses) is the import's wall time minus the sampled time.
/// </summary>
public static class ImportTrace
{
    /// <summary>Phases in order of precedence, each with the frame names (substrings) that put a sample in it.</summary>
    private static readonly (string Phase, string[] Frames)[] Phases =
    [
        ("company look-up or creation (ContactImport.CompanyOfAsync)", ["CompanyOfAsync"]),
        ("key look-up for the batch (ContactImport.FindAsync)", ["ContactImport+<FindAsync>"]),
        ("SaveChanges: the database engine executing the writes", ["SaveChangesAsync|Microsoft.Data.Sqlite!", "SaveChangesAsync|SQLitePCL", "SaveChangesAsync|Npgsql!"]),
        ("SaveChanges: audit rows, stamps, search text (RapportDbContext.PrepareForSave)", ["PrepareForSave", "SearchIndexing"]),
        ("SaveChanges: EF Core change tracking and SQL generation", ["SaveChangesAsync"]),
        ("checks: a new FluentValidation validator per row, and its rules", ["FluentValidation", "ContactFieldsValidator"]),
        ("checks: SQL queries (rights, workspace, custom fields, companies…)", ["QueryCompiler", "EntityQueryProvider", "Microsoft.Data.Sqlite!", "Npgsql!"]),
        ("checks: other .NET work in the use case", ["CreateContact", "ContactRules", "CustomFieldSet", "AccessControl", "ContactDto"]),
        ("import engine: reading the file, ledger, progress", ["ImportJob"]),
    ];

    private const string JobFrame = "ImportJob+<RunAsync>";

    /// <summary>A markdown table of the phases, as shares of <paramref name="wall"/>.</summary>
    public static string Breakdown(string speedscopeFile, TimeSpan wall)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(speedscopeFile));
        var frames = json.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("name").GetString() ?? "").ToArray();
        // Each frame as the set of marker words it holds; a stack as how many of its frames hold each word.
        string[] words = [.. Phases.SelectMany(p => p.Frames).SelectMany(m => m.Split('|')).Append(JobFrame).Distinct()];
        var wordsOf = frames.Select(f => words.Select((w, i) => (w, i)).Where(x => f.Contains(x.w, StringComparison.Ordinal)).Select(x => x.i).ToArray()).ToArray();
        var job = Array.IndexOf(words, JobFrame);
        var time = new double[Phases.Length];
        foreach (var profile in json.RootElement.GetProperty("profiles").EnumerateArray())
        {
            var stack = new Stack<int>();
            var held = new int[words.Length];
            double? last = null;
            foreach (var e in profile.GetProperty("events").EnumerateArray())
            {
                var at = e.GetProperty("at").GetDouble();
                if (last is { } previous && held[job] > 0)
                {
                    time[Classify(held, words)] += at - previous;
                }

                last = at;
                var opens = e.GetProperty("type").GetString() == "O";
                if (!opens && stack.Count == 0)
                {
                    continue;
                }

                var frame = opens ? e.GetProperty("frame").GetInt32() : stack.Pop();
                if (opens)
                {
                    stack.Push(frame);
                }

                foreach (var word in wordsOf[frame])
                {
                    held[word] += opens ? 1 : -1;
                }
            }
        }

        var sampled = time.Sum();
        var text = new StringBuilder();
        text.AppendLine("| phase (sampled with dotnet-trace) | time | share of wall |");
        text.AppendLine("|---|---:|---:|");
        foreach (var (phase, i) in Phases.Select((p, i) => (p.Phase, i)).OrderByDescending(p => time[p.i]).Where(p => time[p.i] > 0))
        {
            text.AppendLine(Row(phase, time[i], wall));
        }

        text.AppendLine(Row("on no thread: awaiting the database, GC pauses, waits", Math.Max(0, wall.TotalMilliseconds - sampled), wall));
        return text.ToString();
    }

    /// <summary>The first phase (in precedence order) with a marker whose words (<c>a|b</c>: all of them) the stack holds.</summary>
    private static int Classify(int[] held, string[] words)
    {
        for (var p = 0; p < Phases.Length; p++)
        {
            if (Phases[p].Frames.Any(m => m.Split('|').All(w => held[Array.IndexOf(words, w)] > 0)))
            {
                return p;
            }
        }

        return Phases.Length - 1;
    }

    private static string Row(string phase, double milliseconds, TimeSpan wall) =>
        string.Create(CultureInfo.InvariantCulture, $"| {phase} | {milliseconds / 1000:F1} s | {milliseconds / wall.TotalMilliseconds:P0} |");
}
