using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rapport.Bench.Reporting;

namespace Rapport.Bench.Workloads;

/// <summary>
/// SQL statements per request, counted from Rapport.Web's EF Core command log (a restart of the level's server with the
/// log on, the level's last work: the count does not depend on the size; statements of background work, which carry no
/// request id, are left out). The list must send as many for 200 rows as for 10 (no N+1); the other workloads' counts are
/// reported to show what each request costs.
/// </summary>
public sealed partial class StatementCount(Scoreboard board)
{
    public const string List = "list: SQL statements per request, 10 → 200 rows";
    private const string Unit = "statements";

    public async Task RunAsync(Level level, string deepCursor, IReadOnlyList<SearchWorkload.Query> searches)
    {
        await level.StartAsync("--Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command=Information");
        var small = await CountAsync(level, ListWorkload.PathFor(10));
        var big = await CountAsync(level, ListWorkload.PathFor(200));
        var deep = await CountAsync(level, ListWorkload.PathFor(ListWorkload.Limit, deepCursor));
        board.Add(new Figure(List, level.Engine.Name, Unit, small, big, new Target(MaxRatio: 1)));
        board.Add(new Figure("list: SQL statements, deep page", level.Engine.Name, Unit, null, deep, Target.None));
        var id = File.ReadLines(level.IdsFile).First();
        board.Add(new Figure("point read: SQL statements", level.Engine.Name, Unit, null, await CountAsync(level, $"/api/v1/contacts/{id}"), Target.None));
        board.Add(new Figure("search: SQL statements", level.Engine.Name, Unit, null, await CountAsync(level, SearchWorkload.PathFor(searches[0])), Target.None));
        var creates = 0;
        board.Add(new Figure("create: SQL statements", level.Engine.Name, Unit, null, await CountAsync(level, "POST /api/v1/contacts", () => level.Client.CreateAsync(
            "/api/v1/contacts", new { firstName = "Count", lastName = "Statements", emails = new[] { $"count-{++creates}@example.com" }, phones = new[] { $"+86 170 9999 {creates:0000}" } })),
            Target.None));
        Level.Say($"{level.Engine.Name} SQL statements per list request: {small} for 10 rows, {big} for 200, {deep} for a deep page");
    }

    /// <summary>
    /// The statements of one request: the log's new entries carrying a request id, after the request has answered. The
    /// entries themselves (with the time EF Core measured for each) go to <c>statements-{db}.log</c> in the scratch folder.
    /// </summary>
    private static Task<int> CountAsync(Level level, string path) => CountAsync(level, "GET " + path, () => level.Client.GetAsync(path));

    private static async Task<int> CountAsync(Level level, string request, Func<Task<JsonNode>> send)
    {
        await send(); // warm: the first request compiles queries
        var before = (await File.ReadAllLinesAsync(level.Server.Log)).Length;
        await send();
        await Task.Delay(500); // the server's log reaches the file through a pipe
        var log = string.Join('\n', (await File.ReadAllLinesAsync(level.Server.Log)).Skip(before));
        await File.AppendAllTextAsync(Path.Combine(level.Options.WorkDirectory, $"statements-{level.Engine.Name}.log"), $"=== {request}\n{log}\n");
        return Count(log);
    }

    /// <summary>Counts the command log's entries (<c>Executed DbCommand</c> up to the next log line) that end with a request id.</summary>
    public static int Count(string log) =>
        Entry().Matches(log).Count(m => RequestId().IsMatch(m.Value.TrimEnd()));

    [GeneratedRegex(@"Executed DbCommand .*?(?=\n\[\d\d:\d\d:\d\d [A-Z]{3}\]|\z)", RegexOptions.Singleline)]
    private static partial Regex Entry();

    [GeneratedRegex(@" [0-9A-Z]{13}:[0-9A-F]{8}$")]
    private static partial Regex RequestId();
}
