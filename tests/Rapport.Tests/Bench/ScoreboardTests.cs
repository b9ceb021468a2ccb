using Rapport.Bench;
using Rapport.Bench.Databases;
using Rapport.Bench.Reporting;
using Rapport.Bench.Server;
using Rapport.Bench.Workloads;

namespace Rapport.Tests.Bench;

/// <summary>
/// The pure parts of issue 6's benchmark (bench/Rapport.Bench, run by scripts/bench.sh, not by the tests): medians and
/// percentiles, goals and the table's status column, and what it reads from wrk, EF Core's log and query plans.
/// </summary>
public sealed class ScoreboardTests
{
    [Fact]
    public void Percentiles_interpolate_between_ranks_and_the_median_of_an_even_count_is_the_middle_pair_s_mean()
    {
        Assert.Equal(2, Stats.Median([3, 1, 2]));
        Assert.Equal(2.5, Stats.Median([4, 1, 3, 2]));
        Assert.Equal(9.55, Stats.Percentile([.. Enumerable.Range(1, 10).Select(i => (double)i)], 95), 6);
        Assert.Equal(7, Stats.Percentile([7], 99));
        Assert.Throws<InvalidOperationException>(() => Stats.Percentile([], 50));
    }

    [Fact]
    public void A_line_is_the_median_of_its_runs_and_its_status_follows_its_goal()
    {
        var board = new Scoreboard();
        foreach (var (ceiling, rapport) in new[] { (1000.0, 250.0), (1200.0, 420.0), (900.0, 400.0) })
        {
            board.Add(new Figure("point read: requests/s", "postgres", "req/s", ceiling, rapport, new Target(MinRatio: 0.3)));
        }

        board.Add(new Figure("search phone: p95", "sqlite", "ms", 1, 4, new Target(MaxRatio: 3, MaxValue: 50)));
        board.Add(new Figure("search phone: plan", "sqlite", "sequential scans", null, 0, new Target(MaxValue: 0), "no sequential scan"));
        board.Add(new Figure("memory: RSS idle after start", "sqlite", "MB", null, 190, Target.None));

        var lines = board.Lines().ToDictionary(l => l.Workload);
        var read = lines["point read: requests/s"];
        Assert.Equal((1000.0, 400.0, 3), (read.Ceiling!.Value, read.Rapport, read.Runs));
        Assert.Equal("pass", read.Status); // 400 / 1000 = 40% ≥ 30%
        Assert.Equal("fail", lines["search phone: p95"].Status); // 4× the direct query, over 3×
        Assert.Equal("pass", lines["search phone: plan"].Status);
        Assert.Equal("info", lines["memory: RSS idle after start"].Status);

        Assert.Equal(["point read: requests/s", "postgres", "1,000 req/s", "400 req/s", "40 %", "≥ 30 %", "pass", "median of 3"], Scoreboard.Cells(read));
        Assert.Equal("4.0×", Scoreboard.Cells(lines["search phone: p95"])[4]);
        Assert.Equal("≤ 3×, ≤ 50 ms", Scoreboard.Cells(lines["search phone: p95"])[5]);
        Assert.Equal("no sequential scan", Scoreboard.Cells(lines["search phone: plan"])[3]);
        var markdown = board.Markdown().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 + 4, markdown.Length);
        Assert.StartsWith("| workload | db | ceiling | Rapport | ratio | goal | status | runs |", markdown[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_suite_s_section_replaces_its_own_markers_and_leaves_the_import_s_alone()
    {
        const string doc = "# Performance\n\n<!-- bench-import:begin -->\nimport table\n<!-- bench-import:end -->\n";
        var added = BenchProgram.Replace(doc, "<!-- bench:begin -->\nfirst\n<!-- bench:end -->\n", BenchProgram.SuiteBegin, BenchProgram.SuiteEnd, BenchProgram.SuiteHeading);
        Assert.Contains("import table", added, StringComparison.Ordinal);
        Assert.Contains("## Benchmarks (issue 6)\n\n<!-- bench:begin -->\nfirst", added, StringComparison.Ordinal);

        var replaced = BenchProgram.Replace(added + "\nafter\n", "<!-- bench:begin -->\nsecond\n<!-- bench:end -->\n", BenchProgram.SuiteBegin, BenchProgram.SuiteEnd, BenchProgram.SuiteHeading);
        Assert.DoesNotContain("first", replaced, StringComparison.Ordinal);
        Assert.Contains("second", replaced, StringComparison.Ordinal);
        Assert.Contains("import table", replaced, StringComparison.Ordinal);
        Assert.EndsWith("<!-- bench:end -->\n\nafter\n", replaced, StringComparison.Ordinal);
        Assert.Single(replaced.Split("## Benchmarks (issue 6)")[1..]);
    }

    [Fact]
    public void Wrk_s_summary_line_gives_rates_and_percentiles_in_milliseconds()
    {
        var result = Wrk.Parse("Running 5s test\nBENCH-JSON {\"requests\":5000,\"micros\":5000000,\"socketErrors\":1,\"statusErrors\":2,\"p50\":1500,\"p95\":4000,\"p99\":12345}\n");
        Assert.Equal(1000, result.RequestsPerSecond);
        Assert.Equal((1.5, 4.0, 12.345, 3L), (result.P50, result.P95, result.P99, result.Failed));
    }

    [Fact]
    public void Statements_are_counted_per_request_and_background_work_is_left_out()
    {
        const string log = """
            [04:51:27 INF] Executed DbCommand (0ms) [Parameters=[@p='?'], CommandType='Text', CommandTimeout='30']
            SELECT 1
            FROM "kernel_memberships" 0HNQBF3KLPL01:00000001
            [04:51:27 INF] Executed DbCommand (0ms) [Parameters=[], CommandType='Text', CommandTimeout='30']
            SELECT "k"."id" FROM "kernel_jobs" AS "k"
            LIMIT @p 
            [04:51:27 INF] Executed DbCommand (1ms) [Parameters=[], CommandType='Text', CommandTimeout='30']
            SELECT "c"."id" FROM "customers_contacts" AS "c" 0HNQBF3KLPL01:00000001
            [04:51:27 INF] HTTP GET /api/v1/contacts responded 200 in 95.8266 ms 0HNQBF3KLPL01:00000001
            """;
        Assert.Equal(2, StatementCount.Count(log.ReplaceLineEndings("\n")));
    }

    [Fact]
    public void A_plan_scans_sequentially_only_where_a_table_is_read_without_an_index()
    {
        string[] sqlite = ["CO-ROUTINE s", "SCAN kernel_search_fts VIRTUAL TABLE INDEX 0:M3", "SEARCH e USING INTEGER PRIMARY KEY (rowid=?)",
            "SEARCH c USING INDEX pk (workspace_id=? AND id=?)", "SCAN s", "USE TEMP B-TREE FOR ORDER BY"];
        Assert.Empty(DirectQuery.SequentialScans(sqlite, sqlite: true));
        Assert.Equal(["c"], DirectQuery.SequentialScans(["SCAN c", "SEARCH e USING INDEX ix (workspace_id=?)"], sqlite: true));
        Assert.Equal(["customers_contacts"], DirectQuery.SequentialScans(
            ["Limit  (cost=1.1..2.2 rows=50)", "  ->  Seq Scan on customers_contacts c  (cost=0.00..1.00 rows=1)", "  ->  Bitmap Index Scan on ix_doc"], sqlite: false));
    }

    [Fact]
    public void Growth_is_measured_at_ten_thousand_rows_a_hundred_thousand_from_a_million_on_and_the_full_size()
    {
        Assert.Equal([10_000, 100_000], Suite.Sizes(100_000));
        Assert.Equal([10_000, 100_000, 1_000_000], Suite.Sizes(1_000_000));
        Assert.Equal([5_000], Suite.Sizes(5_000));
        Assert.Equal([10_000], Suite.Sizes(10_000));
    }
}
