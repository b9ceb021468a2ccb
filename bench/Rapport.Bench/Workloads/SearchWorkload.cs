using System.Globalization;
using Rapport.Bench.Databases;
using Rapport.Bench.Reporting;
using Rapport.Bench.Server;
using Rapport.Kernel.Search;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Issue 6's search workload: <c>GET /api/v1/search?types=contact</c> for three queries picked from the loaded contacts —
/// a selective Latin one (an English contact's first and last name), a Chinese substring (a two-character given name,
/// found inside full names by the bigram index) and a phone number typed nationally with spaces. One connection. Ceiling:
/// the index query Rapport sends (read from its EF Core command log) run directly; its plan must not scan a table.
/// </summary>
public sealed class SearchWorkload(Scoreboard board, Wrk wrk)
{
    private static readonly Target LatencyGoal = new(MaxRatio: 3, MaxValue: 50);

    public sealed record Query(string Kind, string Text);

    /// <summary>The three queries for a level, from the first contacts of its data that fit each kind.</summary>
    public static async Task<IReadOnlyList<Query>> PickAsync(Level level)
    {
        var rows = (await level.Database.QueryAsync("SELECT first_name, last_name, phones FROM customers_contacts ORDER BY id LIMIT 2000;"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|')).Where(f => f.Length == 3).ToList();
        var english = rows.First(f => f[0].Length > 2 && f[0].All(char.IsAsciiLetter) && f[1].All(char.IsAsciiLetter));
        var chinese = rows.First(f => f[0].Length == 2 && SearchText.IsCjk(System.Text.Rune.GetRuneAt(f[0], 0)));
        var mobile = rows.Select(f => System.Text.RegularExpressions.Regex.Match(f[2], @"(?:\+|\\u002B)86(1\d{10})")).First(m => m.Success).Groups[1].Value;
        return
        [
            new Query("Latin name", $"{english[0]} {english[1]}"),
            new Query("Chinese substring", chinese[0]),
            new Query("phone", $"{mobile[..3]} {mobile[3..7]} {mobile[7..]}"),
        ];
    }

    public static string PathFor(Query query) => $"/api/v1/search?q={Uri.EscapeDataString(query.Text)}&types=contact";

    /// <summary>Rapport's p95 per query (ms); with <paramref name="ceiling"/>, also the direct query's and its plan, into the table.</summary>
    public async Task<IReadOnlyList<double>> RunAsync(Level level, IReadOnlyList<Query> queries, bool ceiling, bool plans)
    {
        var results = new List<double>();
        foreach (var query in queries)
        {
            var paths = Path.Combine(level.Options.WorkDirectory, "paths.txt");
            await File.WriteAllTextAsync(paths, PathFor(query) + "\n");
            var measured = await wrk.RunAsync(level.Server.Address, Wrk.Script.Paths, 1, level.Options.QueryDuration,
                new Dictionary<string, string> { ["BENCH_TOKEN"] = level.Client.Token, ["BENCH_PATHS"] = paths });
            if (measured.Failed > 0)
            {
                throw new InvalidOperationException($"Search for {query.Text} failed {measured.Failed} of {measured.Requests} times.");
            }

            results.Add(measured.P95);
            if (!ceiling)
            {
                continue;
            }

            var (sql, parameters) = Sql(level, query.Text);
            await using var connection = level.Database.Connection();
            await connection.OpenAsync();
            var direct = Stats.Percentile(await DirectQuery.TimeAsync(connection, sql, parameters, level.Options.QueryDuration / 2), 95);
            board.Add(new Figure($"search {query.Kind}: p95", level.Engine.Name, "ms", direct, measured.P95, LatencyGoal));
            Level.Say(string.Create(CultureInfo.InvariantCulture, $"{level.Engine.Name} search '{query.Text}' p95: {measured.P95:F1} ms (index query {direct:F2} ms)"));
            if (plans)
            {
                var plan = await DirectQuery.PlanAsync(connection, sql, parameters, level.Sqlite);
                var scans = DirectQuery.SequentialScans(plan, level.Sqlite);
                board.Add(new Figure($"search {query.Kind}: plan", level.Engine.Name, "sequential scans", null, scans.Count, new Target(MaxValue: 0),
                    scans.Count == 0 ? "no sequential scan" : "sequential scan of " + string.Join(", ", scans.Distinct())));
                await File.WriteAllTextAsync(Path.Combine(level.Options.WorkDirectory, $"plan-{level.Engine.Name}-{query.Kind.Replace(' ', '-')}.txt"),
                    sql + "\n\n" + string.Join('\n', plan));
            }
        }

        return results;
    }

    /// <summary>
    /// The candidates query Rapport sends for a search (its EF Core command log): index rows matching the query, of readable
    /// contacts (joined, not in the trash), the first 1,000, ranked by field and length; FTS5 on SQLite, the GIN index on PostgreSQL.
    /// </summary>
    public static (string Sql, Dictionary<string, object> Parameters) Sql(Level level, string text)
    {
        var query = SearchQuery.Parse(text);
        var matches = level.Sqlite
            ? "SELECT e.* FROM kernel_search_fts CROSS JOIN kernel_search_entries AS e ON e.seq = kernel_search_fts.rowid WHERE kernel_search_fts MATCH @match"
            : "SELECT e.* FROM kernel_search_entries AS e WHERE e.document @@ to_tsquery('simple', @match)";
        var sql = $"""
            SELECT s.record_id, s.field, s.text
            FROM (
                SELECT r.field, r.record_id, r.text
                FROM ({matches}) AS r
                INNER JOIN (
                    SELECT c.workspace_id, c.id FROM customers_contacts AS c WHERE c.workspace_id = @ws AND c.deleted_at IS NULL
                ) AS c0 ON r.workspace_id = c0.workspace_id AND r.record_id = c0.id
                WHERE r.workspace_id = @ws AND r.entity_type = 'contact' AND r.field IN ('name', 'emails', 'phones', 'jobTitle', 'tags')
                LIMIT 1000
            ) AS s
            ORDER BY CASE WHEN s.field = 'name' THEN 0 WHEN s.field = 'emails' THEN 1 WHEN s.field = 'phones' THEN 2
                WHEN s.field = 'jobTitle' THEN 3 WHEN s.field = 'tags' THEN 4 ELSE 5 END, length(s.text)
            LIMIT 50
            """;
        return (sql, new Dictionary<string, object> { ["@ws"] = level.WorkspaceParameter, ["@match"] = level.Sqlite ? query.ToFts5() : query.ToTsQuery() });
    }
}
