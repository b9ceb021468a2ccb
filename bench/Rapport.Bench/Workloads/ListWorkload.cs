using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Rapport.Bench.Databases;
using Rapport.Bench.Reporting;
using Rapport.Bench.Server;

namespace Rapport.Bench.Workloads;

/// <summary>
/// Issue 6's list workload: <c>GET /api/v1/contacts</c> filtered on a select custom field (<c>tier = gold</c>, about a fifth
/// of the contacts) and sorted by a sortable number field (<c>score</c>, an expression index), 50 a page: the first page,
/// and a deep page — the cursor Rapport gave 80% of the way through walking the whole list. One connection (latency, not
/// throughput). Ceiling: the page's SQL as Rapport sends it (read from its EF Core command log), run directly.
/// </summary>
public sealed class ListWorkload(Scoreboard board, Wrk wrk)
{
    public const string First = "list: first page p95";
    public const string Deep = "list: deep page p95";
    public const string DeepVsFirst = "list: deep ÷ first page (p95)";
    public const int Limit = 50;
    public const string Filter = """{"field":"custom.tier","op":"eq","value":"gold"}""";
    public const string Sort = "custom.score";
    private static readonly Target PageGoal = new(MaxValue: 20);

    /// <summary>The list's path for a page size and an optional cursor.</summary>
    public static string PathFor(int limit, string? cursor = null) =>
        $"/api/v1/contacts?filter={Uri.EscapeDataString(Filter)}&sort={Sort}&limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}");

    /// <summary>The deep page's cursor of a level: walks the list 200 rows a request.</summary>
    public static async Task<string> DeepCursorAsync(Level level)
    {
        var cursors = new List<string>();
        string? cursor = null;
        do
        {
            var page = await level.Client.GetAsync(PathFor(200, cursor));
            cursor = page["nextCursor"]?.GetValue<string>();
            if (cursor is not null)
            {
                cursors.Add(cursor);
            }
        }
        while (cursor is not null);

        return cursors.Count > 0 ? cursors[(int)(cursors.Count * 0.8)] : throw new InvalidOperationException("The list has a single page: too few rows for a deep page.");
    }

    /// <summary>
    /// Rapport's p95 for the first and the deep page (ms); with <paramref name="ceiling"/>, also the direct SQL's, into the
    /// table, and with <paramref name="plans"/> the SQL's plans into the scratch folder (<c>plan-{db}-list-*.txt</c>).
    /// </summary>
    public async Task<(double First, double Deep)> RunAsync(Level level, string deepCursor, bool ceiling, bool plans = false)
    {
        var first = await RapportAsync(level, PathFor(Limit));
        var deep = await RapportAsync(level, PathFor(Limit, deepCursor));
        if (ceiling)
        {
            var direct = await CeilingAsync(level, null, plans ? "first" : null);
            var directDeep = await CeilingAsync(level, deepCursor, plans ? "deep" : null);
            board.Add(new Figure(First, level.Engine.Name, "ms", direct, first, PageGoal));
            board.Add(new Figure(Deep, level.Engine.Name, "ms", directDeep, deep, PageGoal));
            board.Add(new Figure(DeepVsFirst, level.Engine.Name, "ms", first, deep, new Target(MaxRatio: 2)));
            Level.Say(string.Create(CultureInfo.InvariantCulture,
                $"{level.Engine.Name} list p95: first page {first:F1} ms (SQL {direct:F2} ms), deep page {deep:F1} ms (SQL {directDeep:F2} ms)"));
        }

        return (first, deep);
    }

    private async Task<double> RapportAsync(Level level, string path)
    {
        var paths = Path.Combine(level.Options.WorkDirectory, "paths.txt");
        await File.WriteAllTextAsync(paths, path + "\n");
        var result = await wrk.RunAsync(level.Server.Address, Wrk.Script.Paths, 1, level.Options.QueryDuration,
            new Dictionary<string, string> { ["BENCH_TOKEN"] = level.Client.Token, ["BENCH_PATHS"] = paths });
        return result.Failed > 0 ? throw new InvalidOperationException($"{path} failed {result.Failed} of {result.Requests} times.") : result.P95;
    }

    private static async Task<double> CeilingAsync(Level level, string? cursor, string? plan)
    {
        var (sql, parameters) = Sql(level, cursor);
        await using var connection = level.Database.Connection();
        await connection.OpenAsync();
        if (plan is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(level.Options.WorkDirectory, $"plan-{level.Engine.Name}-list-{plan}.txt"),
                sql + "\n\n" + string.Join('\n', await DirectQuery.PlanAsync(connection, sql, parameters, level.Sqlite)));
        }

        return Stats.Percentile(await DirectQuery.TimeAsync(connection, sql, parameters, level.Options.QueryDuration / 2), 95);
    }

    /// <summary>
    /// The page query Rapport sends (its EF Core command log, SQLite and PostgreSQL alike): the contacts of the page with
    /// their company links, the keyset condition <c>(score &gt; v OR score IS NULL) OR (score = v AND id &gt; last)</c> after a cursor,
    /// with the range that lets the database seek its sort index to the cursor (<c>KeysetPager</c>).
    /// </summary>
    public static (string Sql, Dictionary<string, object> Parameters) Sql(Level level, string? cursor)
    {
        var (tier, score) = level.Sqlite
            ? ("json_extract(c.custom_fields, '$.tier')", "json_extract(c.custom_fields, '$.score')")
            : ("jsonb_extract_path_text(c.custom_fields, 'tier')", "rapport_cf_number(c.custom_fields, 'score')");
        var parameters = new Dictionary<string, object> { ["@ws"] = level.WorkspaceParameter, ["@tier"] = "gold", ["@take"] = Limit + 1 };
        var after = "";
        var order = $"{score} IS NULL, {score}, c.id";
        if (cursor is not null)
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor)));
            var value = json.RootElement.GetProperty("V")[0];
            var id = json.RootElement.GetProperty("Id").GetGuid();
            parameters["@last"] = level.Sqlite ? id.ToString().ToUpperInvariant() : id;
            if (value.ValueKind == JsonValueKind.Null)
            {
                after = $" AND ({score} IS NULL AND c.id > @last)";
            }
            else
            {
                // With the range that seeks the sort index (KeysetPager): on PostgreSQL a row comparison on its is-null and
                // value columns (the rows without a score follow in the same statement); on SQLite the is-null column equal
                // to false and the score >= the cursor's (the rows without one follow in a second statement, only when this
                // one does not fill the page).
                parameters["@score"] = double.Parse(value.GetString()!, CultureInfo.InvariantCulture);
                parameters["@hasnull"] = false;
                var seek = level.Sqlite ? $"({score} IS NULL) = @hasnull AND {score} >= @score" : $"ROW({score} IS NULL, {score}) >= ROW(@hasnull, @score)";
                after = $" AND (({score} > @score OR {score} IS NULL) OR ({score} = @score AND c.id > @last)) AND {seek}";
                order = level.Sqlite ? $"{score}, c.id" : order; // every row SQLite's statement reads has a score
            }
        }

        var sql = $"""
            SELECT c1.*, c2.workspace_id, c2.contact_id, c2.company_id
            FROM (
                SELECT c.*, {score} IS NULL AS score_is_null, {score} AS score
                FROM customers_contacts AS c
                WHERE c.workspace_id = @ws AND c.deleted_at IS NULL AND {tier} = @tier{after}
                ORDER BY {order}
                LIMIT @take
            ) AS c1
            LEFT JOIN customers_contact_companies AS c2 ON c2.workspace_id = @ws AND c1.workspace_id = c2.workspace_id AND c1.id = c2.contact_id
            ORDER BY c1.score_is_null, c1.score, c1.id, c1.workspace_id, c2.workspace_id, c2.contact_id
            """;
        return (sql, parameters);
    }
}
