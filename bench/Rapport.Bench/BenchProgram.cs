using System.Globalization;
using System.Text;
using Rapport.Bench.Databases;
using Rapport.Bench.Generator;
using Rapport.Bench.Reporting;
using Rapport.Bench.Workloads;

namespace Rapport.Bench;

/// <summary>
/// <c>Rapport.Bench import [options]</c> runs issue 5's import benchmark (normally through <c>scripts/bench-import.sh</c>,
/// which installs and starts what it needs); <c>Rapport.Bench generate --rows N --work DIR</c> only writes the data set.
/// </summary>
public static class BenchProgram
{
    public const string SectionBegin = "<!-- bench-import:begin -->";
    public const string SectionEnd = "<!-- bench-import:end -->";

    public static async Task<int> Main(string[] args)
    {
        try
        {
            var verb = args.FirstOrDefault();
            if (verb == "trace-report" && args.Length == 3)
            {
                // Re-reads a kept trace: Rapport.Bench trace-report <file.speedscope.json> <import wall seconds>
                Console.WriteLine(ImportTrace.Breakdown(args[1], TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture))));
                return 0;
            }

            var options = BenchOptions.Parse([.. args.Skip(1)]);
            switch (verb)
            {
                case "generate":
                    var summary = ContactSet.Write(Path.Combine(options.WorkDirectory, "data"), options.Rows, options.Seed);
                    Console.WriteLine($"{summary.Rows} rows ({summary.Valid} valid, {summary.Invalid} invalid, {summary.Duplicates} duplicates) in {options.WorkDirectory}/data");
                    return 0;
                case "import":
                    await ImportAsync(options);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync("usage: Rapport.Bench import|generate --rows N [--db sqlite|postgres|both] [--runs N] --work DIR --web DIR …");
                    return 2;
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or TimeoutException or FormatException)
        {
            await Console.Error.WriteLineAsync($"[bench] failed: {e.Message}");
            return 1;
        }
    }

    private static async Task ImportAsync(BenchOptions options)
    {
        if (!File.Exists(Path.Combine(options.WebDirectory, "Rapport.Web.dll")))
        {
            throw new ArgumentException($"No Rapport.Web.dll in {options.WebDirectory}: build Rapport.Web in Release and pass --web.");
        }

        var started = DateTimeOffset.UtcNow;
        BenchDatabase[] databases = [.. options.Databases.Select(d => d == "sqlite" ? (BenchDatabase)new SqliteDatabase(options) : new PostgresDatabase(options))];
        var facts = (await Machine.FactsAsync(await Task.WhenAll(databases.Select(d => d.VersionAsync())))).ToList();
        var loadAtStart = Machine.LoadAverage();
        var dataDirectory = Path.Combine(options.WorkDirectory, "data");
        await Console.Error.WriteLineAsync($"[bench] generating {options.Rows:N0} contacts (seed {options.Seed})");
        var data = ContactSet.Write(dataDirectory, options.Rows, options.Seed);
        var results = new Results();
        var workload = new ImportWorkload(options, dataDirectory, data, results);
        var profiles = new List<string>();
        foreach (var db in databases)
        {
            await workload.RunAsync(db);
            if (options.Profile)
            {
                await Console.Error.WriteLineAsync($"[bench] {db.Name}: profiling a {Math.Min(ImportProfile.Rows, options.Rows):N0}-row import with the SQL log on");
                profiles.Add(await new ImportProfile(options, dataDirectory).RunAsync(db));
            }
        }

        var elapsed = DateTimeOffset.UtcNow - started;
        facts.Add(("load average (1/5/15 min)", $"{loadAtStart} at the start, {Machine.LoadAverage()} at the end"));
        Console.WriteLine();
        Console.WriteLine(results.Text());
        foreach (var (name, value) in facts)
        {
            Console.WriteLine($"{name}: {value}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data: {DataLine(data)}; whole run {elapsed.TotalMinutes:F1} min"));
        foreach (var profile in profiles)
        {
            Console.WriteLine();
            Console.WriteLine(profile);
        }

        if (options.Markdown is { } markdown)
        {
            await WriteMarkdownAsync(markdown, Section(options, started, elapsed, facts, data, results, profiles));
            Console.WriteLine($"Table written to {markdown}");
        }
    }

    private static string DataLine(ContactSetSummary data) => string.Create(CultureInfo.InvariantCulture,
        $"{data.Rows:N0} rows (seed {data.Seed}): {data.Valid:N0} valid, {data.Invalid:N0} invalid, {data.Duplicates:N0} repeating an earlier email; {data.Companies:N0} companies");

    private static string Section(BenchOptions options, DateTimeOffset started, TimeSpan elapsed, IReadOnlyList<(string Name, string Value)> facts,
        ContactSetSummary data, Results results, List<string> profiles)
    {
        var text = new StringBuilder();
        text.AppendLine(SectionBegin);
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Measured {started:yyyy-MM-dd HH:mm} UTC{(options.Commit.Length > 0 ? $" at commit `{options.Commit}`" : "")} with `{(options.CommandLine.Length > 0 ? options.CommandLine : "Rapport.Bench import")}` ({elapsed.TotalMinutes:F0} min)."));
        text.AppendLine();
        text.Append(results.Markdown());
        text.AppendLine();
        foreach (var (name, value) in facts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {value}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"- data: {DataLine(data)}");
        foreach (var note in results.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        if (profiles.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("#### Where the import's time goes");
            text.AppendLine();
            text.AppendJoin(Environment.NewLine, profiles);
        }

        text.AppendLine(SectionEnd);
        return text.ToString();
    }

    /// <summary>Replaces the benchmark section of the markdown file (between its markers), or appends one.</summary>
    private static async Task WriteMarkdownAsync(string path, string section)
    {
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        var (begin, end) = (existing.IndexOf(SectionBegin, StringComparison.Ordinal), existing.IndexOf(SectionEnd, StringComparison.Ordinal));
        var updated = begin >= 0 && end > begin
            ? existing[..begin] + section.TrimEnd('\n') + existing[(end + SectionEnd.Length)..]
            : existing.TrimEnd('\n') + (existing.Length > 0 ? "\n\n" : "") + section;
        await File.WriteAllTextAsync(path, updated);
    }
}
