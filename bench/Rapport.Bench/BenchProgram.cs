using System.Globalization;
using System.Text;
using Rapport.Bench.Databases;
using Rapport.Bench.Generator;
using Rapport.Bench.Reporting;
using Rapport.Bench.Server;
using Rapport.Bench.Workloads;

namespace Rapport.Bench;

/// <summary>
/// <c>Rapport.Bench import [options]</c> runs issue 5's import benchmark (normally through <c>scripts/bench-import.sh</c>,
/// which installs and starts what it needs); <c>Rapport.Bench suite [options]</c> runs issue 6's benchmarks (through
/// <c>scripts/bench.sh</c>); <c>Rapport.Bench generate --rows N --work DIR</c> only writes the data set;
/// <c>Rapport.Bench bare-sqlite-server …</c> is the SQLite ceiling's endpoint, started by the suite; <c>Rapport.Bench in-process</c>
/// times the suite's in-process pieces alone (BenchmarkDotNet).
/// </summary>
public static class BenchProgram
{
    public const string SectionBegin = "<!-- bench-import:begin -->";
    public const string SectionEnd = "<!-- bench-import:end -->";
    public const string SuiteBegin = "<!-- bench:begin -->";
    public const string SuiteEnd = "<!-- bench:end -->";
    public const string SuiteHeading = "## Benchmarks (issue 6)";

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

            if (verb == "request-trace-report" && args.Length == 2)
            {
                // Re-reads a kept trace of the suite's --profile: Rapport.Bench request-trace-report <file.speedscope.json>
                Console.WriteLine(RequestTrace.Breakdown(args[1]));
                return 0;
            }

            if (verb == "in-process")
            {
                // The in-process pieces alone (the suite runs them too): Rapport.Bench in-process
                var pieces = new Scoreboard();
                await new InProcessWorkload(pieces).RunAsync();
                Console.WriteLine(pieces.Text());
                return 0;
            }

            if (verb == "bare-sqlite-server")
            {
                await BareSqliteServer.RunAsync([.. args.Skip(1)]);
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
                case "suite":
                    await SuiteAsync(options);
                    return 0;
                case "pipeline":
                    return await PipelineReportAsync(options);
                default:
                    await Console.Error.WriteLineAsync("usage: Rapport.Bench import|suite|pipeline|generate --rows N [--db sqlite|postgres|both] [--runs N] --work DIR --web DIR …");
                    return 2;
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or TimeoutException or FormatException)
        {
            await Console.Error.WriteLineAsync($"[bench] failed: {e.Message}");
            return 1;
        }
    }

    private static void CheckWeb(BenchOptions options)
    {
        if (!File.Exists(Path.Combine(options.WebDirectory, "Rapport.Web.dll")))
        {
            throw new ArgumentException($"No Rapport.Web.dll in {options.WebDirectory}: build Rapport.Web in Release and pass --web.");
        }
    }

    /// <summary>Issue 7's pipeline report over --rows generated deals on each database; 1 when a goal is missed.</summary>
    private static async Task<int> PipelineReportAsync(BenchOptions options)
    {
        CheckWeb(options);
        var board = new Scoreboard();
        foreach (var name in options.Databases)
        {
            await new PipelineReportWorkload(options, board).RunAsync(name == "sqlite" ? new SqliteDatabase(options) : new PostgresDatabase(options));
        }

        Console.WriteLine();
        Console.WriteLine(board.Text());
        return board.Lines().All(l => l.Status != "fail") ? 0 : 1;
    }

    private static async Task SuiteAsync(BenchOptions options)
    {
        CheckWeb(options);
        var started = options.Started;
        BenchDatabase[] databases = [.. options.Databases.Select(d => d == "sqlite" ? (BenchDatabase)new SqliteDatabase(options) : new PostgresDatabase(options))];
        var facts = (await Machine.FactsAsync([.. await Task.WhenAll(databases.Select(d => d.VersionAsync())), await WrkVersionAsync()])).ToList();
        var loadAtStart = Machine.LoadAverage();
        var directories = new Dictionary<int, string>();
        foreach (var size in Suite.Sizes(options.Rows))
        {
            await Console.Error.WriteLineAsync($"[bench] generating {size:N0} contacts (seed {options.Seed})");
            directories[size] = Path.Combine(options.WorkDirectory, $"data-{size}");
            ContactSet.Write(directories[size], size, options.Seed);
        }

        var importDirectory = Path.Combine(options.WorkDirectory, "data-import");
        var importData = options.ImportRows > 0 ? ContactSet.Write(importDirectory, options.ImportRows, options.Seed) : null;
        var board = new Scoreboard();
        var suite = new Suite(options, board);
        foreach (var db in databases)
        {
            await suite.RunAsync(db, directories);
            if (importData is not null)
            {
                await suite.ImportAsync(db, importDirectory, importData);
            }
        }

        await new InProcessWorkload(board).RunAsync();
        var elapsed = DateTimeOffset.UtcNow - started;
        facts.Add(("load average (1/5/15 min)", $"{loadAtStart} at the start, {Machine.LoadAverage()} at the end"));
        facts.Add(("data", string.Create(CultureInfo.InvariantCulture,
            $"{options.Rows:N0} generated contacts (seed {options.Seed}) loaded into Rapport's database; {options.Runs} run(s) a figure; " +
            $"wrk and pgbench {options.Duration} s a run, list and search queries {options.QueryDuration.TotalSeconds:F0} s each")));
        Console.WriteLine();
        Console.WriteLine(board.Text());
        foreach (var (name, value) in facts)
        {
            Console.WriteLine($"{name}: {value}");
        }

        foreach (var note in board.Notes)
        {
            Console.WriteLine(note);
        }

        foreach (var section in board.Sections)
        {
            Console.WriteLine();
            Console.WriteLine(section);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"whole run {elapsed.TotalMinutes:F1} min"));
        if (options.Markdown is { } markdown)
        {
            var text = new StringBuilder();
            text.AppendLine(SuiteBegin);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Measured {started:yyyy-MM-dd HH:mm} UTC{(options.Commit.Length > 0 ? $" at commit `{options.Commit}`" : "")} with `{(options.CommandLine.Length > 0 ? options.CommandLine : "Rapport.Bench suite")}` ({elapsed.TotalMinutes:F1} min from start to end, build included)."));
            text.AppendLine();
            text.Append(board.Markdown());
            text.AppendLine();
            foreach (var (name, value) in facts)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {value}");
            }

            foreach (var note in board.Notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }

            if (board.Sections.Count > 0)
            {
                text.AppendLine();
                text.AppendLine("#### Where a request's time goes (sampled with dotnet-trace)");
                text.AppendLine();
                text.AppendJoin(Environment.NewLine, board.Sections);
            }

            text.AppendLine(SuiteEnd);
            await WriteMarkdownAsync(markdown, text.ToString(), SuiteBegin, SuiteEnd, SuiteHeading);
            Console.WriteLine($"Table written to {markdown}");
        }
    }

    private static async Task<string> WrkVersionAsync() =>
        "wrk " + ((await Shell.VersionAsync("wrk", "--version"))?.Split(' ').ElementAtOrDefault(1) ?? "missing");

    private static async Task ImportAsync(BenchOptions options)
    {
        CheckWeb(options);
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
            await WriteMarkdownAsync(markdown, Section(options, started, elapsed, facts, data, results, profiles), SectionBegin, SectionEnd);
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

    /// <summary>Replaces a benchmark's section of the markdown file (between its markers), or appends one (under <paramref name="heading"/>).</summary>
    private static async Task WriteMarkdownAsync(string path, string section, string sectionBegin, string sectionEnd, string? heading = null)
    {
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        await File.WriteAllTextAsync(path, Replace(existing, section, sectionBegin, sectionEnd, heading));
    }

    /// <summary>The text with the part between the markers replaced by <paramref name="section"/> (markers included), or the section appended.</summary>
    public static string Replace(string existing, string section, string sectionBegin, string sectionEnd, string? heading = null)
    {
        var (begin, end) = (existing.IndexOf(sectionBegin, StringComparison.Ordinal), existing.IndexOf(sectionEnd, StringComparison.Ordinal));
        return begin >= 0 && end > begin
            ? existing[..begin] + section.TrimEnd('\n') + existing[(end + sectionEnd.Length)..]
            : existing.TrimEnd('\n') + (existing.Length > 0 ? "\n\n" : "") + (heading is null ? "" : heading + "\n\n") + section;
    }
}
