using System.Globalization;
using Rapport.Bench.Databases;
using Rapport.Bench.Generator;
using Rapport.Bench.Reporting;
using Rapport.Bench.Server;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Issue 6's benchmark, per database: the workloads on the full data set (point read, list, search, create — each run
/// the ceiling, then Rapport), SQL statements per request, the same reads at the growth sizes (10,000 rows, and 100,000
/// from a million on) compared with the full size, and Rapport's import of a smaller file (issue 5's workload, with the
/// server's memory before and after it).
/// </summary>
public sealed class Suite(BenchOptions options, Scoreboard board)
{
    public const int SmallestSize = 10_000;
    private readonly Wrk _wrk = new(options.WorkDirectory);

    /// <summary>The data sizes measured: 10,000, 100,000 when the full size reaches a million, and the full size.</summary>
    public static IReadOnlyList<int> Sizes(int rows) =>
        [.. new[] { SmallestSize, rows >= 1_000_000 ? 100_000 : 0, rows }.Where(s => s > 0 && s <= rows).Distinct().Order()];

    /// <summary>Rapport's latencies at one size and run, for the growth lines (ms).</summary>
    private sealed record Latencies(double PointRead, double ListFirst, double ListDeep, IReadOnlyList<double> Search);

    /// <summary>
    /// Loads every size first, each with its own server (idle while another is measured), then measures them in turn
    /// within each run, so the growth lines compare sizes measured minutes apart, not a whole workload apart: on a shared
    /// machine the load drifts.
    /// </summary>
    public async Task RunAsync(BenchDatabase engine, IReadOnlyDictionary<int, string> dataDirectories)
    {
        var pgbench = engine.Name == "postgres" ? new Pgbench(options, options.WorkDirectory) : null;
        if (pgbench is not null)
        {
            await pgbench.InitializeAsync(options.Rows);
        }

        var (pointRead, create) = (new PointReadWorkload(board, _wrk, pgbench), new CreateWorkload(board, _wrk, pgbench));
        var (list, search) = (new ListWorkload(board, _wrk), new SearchWorkload(board, _wrk));
        var sizes = Sizes(options.Rows);
        var levels = new List<(Level Level, string DeepCursor, IReadOnlyList<SearchWorkload.Query> Queries)>();
        try
        {
            foreach (var size in sizes.Reverse())
            {
                var level = await Level.LoadAsync(options, engine, size, dataDirectories[size]);
                levels.Add((level, await ListWorkload.DeepCursorAsync(level), await SearchWorkload.PickAsync(level)));
            }

            var measured = sizes.ToDictionary(s => s, _ => new List<Latencies>());
            for (var run = 1; run <= options.Runs; run++)
            {
                foreach (var (level, deepCursor, queries) in levels)
                {
                    var full = level.Rows == options.Rows;
                    Level.Say($"{engine.Name}, {level.Rows:N0} rows, run {run} of {options.Runs}");
                    var read = full
                        ? await pointRead.RunAsync(level)
                        : await pointRead.RapportAsync(level, TimeSpan.FromSeconds(Math.Max(3, options.Duration / 5)));
                    var (first, deep) = await list.RunAsync(level, deepCursor, ceiling: full, plans: full && run == 1);
                    var found = await search.RunAsync(level, queries, ceiling: full, plans: full && run == 1);
                    measured[level.Rows].Add(new Latencies(read.P50, first, deep, found));
                    if (full)
                    {
                        await create.RunAsync(level, run); // last: it adds contacts
                    }
                }
            }

            if (options.DotnetTrace is { } tool)
            {
                await ProfileAsync(levels[0].Level, tool, pointRead, create);
            }

            var smallest = levels[^1];
            await new StatementCount(board).RunAsync(smallest.Level, smallest.DeepCursor, smallest.Queries);
            AddGrowth(engine.Name, sizes, measured, smallest.Queries);
        }
        finally
        {
            foreach (var (level, _, _) in levels)
            {
                await level.DisposeAsync();
            }
        }
    }

    /// <summary>One more point-read run and one more create run, each sampled with dotnet-trace: where the server's CPU goes.</summary>
    private async Task ProfileAsync(Level level, string tool, PointReadWorkload pointRead, CreateWorkload create)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (name, work) in new (string, Func<Task<WrkResult>>)[]
                 {
                     ("point read", () => pointRead.RapportAsync(level, TimeSpan.FromSeconds(options.Duration))),
                     ("create", () => create.RapportAsync(level, options.Runs + 1, TimeSpan.FromSeconds(options.Duration))),
                 })
        {
            Level.Say($"{level.Engine.Name}: profiling {name} with dotnet-trace");
            var cpu = level.Server.Memory.CpuTime();
            var trace = await DotnetTrace.StartAsync(tool, level.Server.ProcessId,
                Path.Combine(options.WorkDirectory, $"{level.Engine.Name}-{name.Replace(' ', '-')}.nettrace"), options.WorkDirectory);
            var result = await work();
            var used = level.Server.Memory.CpuTime() - cpu;
            var speedscope = await trace.StopAsync();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"**{level.Engine.Name}, {name}** ({result.RequestsPerSecond:N0} req/s while sampled; Rapport.Web used {used.TotalMilliseconds / result.Requests:F1} ms of CPU a request):"));
            text.AppendLine();
            text.AppendLine(RequestTrace.Breakdown(speedscope));
        }

        board.Sections.Add(text.ToString());
    }

    /// <summary>Each size's latencies against the smallest's, run by run: the full size must stay within 2× (the others are shown).</summary>
    private void AddGrowth(string database, IReadOnlyList<int> sizes, Dictionary<int, List<Latencies>> measured, IReadOnlyList<SearchWorkload.Query> queries)
    {
        foreach (var size in sizes.Skip(1))
        {
            var target = size == options.Rows ? new Target(MaxRatio: 2) : Target.None;
            var span = $"{Short(sizes[0])} → {Short(size)} rows";
            foreach (var (small, big) in measured[sizes[0]].Zip(measured[size]))
            {
                board.Add(new Figure($"growth {span}: point read p50", database, "ms", small.PointRead, big.PointRead, target));
                board.Add(new Figure($"growth {span}: list first page p95", database, "ms", small.ListFirst, big.ListFirst, target));
                board.Add(new Figure($"growth {span}: list deep page p95", database, "ms", small.ListDeep, big.ListDeep, target));
                for (var i = 0; i < queries.Count; i++)
                {
                    board.Add(new Figure($"growth {span}: search {queries[i].Kind} p95", database, "ms", small.Search[i], big.Search[i], target));
                }
            }
        }
    }

    /// <summary>
    /// Issue 5's import workload on a file of <see cref="BenchOptions.ImportRows"/> rows, one run: its lines (the share of the
    /// raw load, peak memory), and Rapport.Web's memory idle after start and after the import.
    /// </summary>
    public async Task ImportAsync(BenchDatabase engine, string dataDirectory, ContactSetSummary data)
    {
        var results = new Results();
        var workload = new ImportWorkload(options.With(data.Rows, 1), dataDirectory, data, results);
        await workload.RunAsync(engine);
        var label = $"{data.Rows:N0} rows";
        foreach (var line in results.Lines())
        {
            var rate = line.Goal.MinRatio is { } ratio ? new Target(MinRatio: ratio) : Target.None;
            board.Add(new Figure($"{line.Workload}, {label}: rows/s", line.Database, "rows/s", line.CeilingRate, line.RapportRate, rate));
            var memory = line.Goal.MaxPeakBytes is { } bytes ? new Target(MaxValue: bytes / (double)Goal.Megabyte) : Target.None;
            board.Add(new Figure($"{line.Workload}, {label}: peak RSS", line.Database, "MB", null, line.PeakBytes / (double)Goal.Megabyte, memory));
        }

        foreach (var (database, idle, after) in workload.Footprints)
        {
            board.Add(new Figure("memory: RSS idle after start", database, "MB", null, idle / (double)Goal.Megabyte, Target.None));
            board.Add(new Figure($"memory: RSS after the import ({label})", database, "MB", null, after / (double)Goal.Megabyte, Target.None));
        }

        board.Notes.AddRange(results.Notes);
    }

    private static string Short(int rows) => rows >= 1_000_000 && rows % 1_000_000 == 0 ? $"{rows / 1_000_000}M"
        : rows >= 1000 && rows % 1000 == 0 ? $"{rows / 1000}k" : rows.ToString("N0", CultureInfo.InvariantCulture);
}
