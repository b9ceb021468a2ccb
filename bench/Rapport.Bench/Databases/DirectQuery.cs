using System.Data.Common;
using System.Diagnostics;

namespace Rapport.Bench.Databases;

/// <summary>
/// A ceiling for a read: Rapport's SQL run directly through the driver Rapport uses (Microsoft.Data.Sqlite, Npgsql), one
/// command executed again and again (SQLite keeps its compiled statement; PostgreSQL plans each execution for its values,
/// as for Rapport's unprepared queries — a prepared statement's generic plan was slower on the deep page), every row read,
/// timed one execution at a time: the database's own cost plus one round trip, nothing of Rapport's. (sqlite3 3.40's
/// shell times only to the millisecond, too coarse for sub-millisecond queries.)
/// </summary>
public static class DirectQuery
{
    /// <summary>Runs the query until <paramref name="budget"/> is spent, at least <paramref name="min"/> times (at most 5,000); milliseconds per run.</summary>
    public static async Task<List<double>> TimeAsync(DbConnection connection, string sql, IReadOnlyDictionary<string, object> parameters, TimeSpan budget, int min = 5)
    {
        await using var command = Command(connection, sql, parameters);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < min || (total.Elapsed < budget && times.Count < 5000))
        {
            var one = Stopwatch.StartNew();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        _ = reader.GetValue(i);
                    }
                }
            }

            times.Add(one.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    /// <summary>The query's plan: <c>EXPLAIN QUERY PLAN</c> on SQLite (one line per step), <c>EXPLAIN</c> on PostgreSQL.</summary>
    public static async Task<List<string>> PlanAsync(DbConnection connection, string sql, IReadOnlyDictionary<string, object> parameters, bool sqlite)
    {
        await using var command = Command(connection, (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(sqlite ? reader.GetString(reader.FieldCount - 1) : reader.GetString(0));
        }

        return lines;
    }

    /// <summary>
    /// The tables a plan reads from start to end: PostgreSQL's <c>Seq Scan on t</c>; SQLite's <c>SCAN t</c> without an index
    /// (not a virtual table's index, not a subquery's result).
    /// </summary>
    public static List<string> SequentialScans(IReadOnlyList<string> plan, bool sqlite)
    {
        if (!sqlite)
        {
            return [.. plan.Where(l => l.Contains("Seq Scan on ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("Seq Scan on ", StringComparison.Ordinal) + 12)..].Split(' ')[0])];
        }

        var subqueries = plan.Select(l => l.Trim()).Where(l => l.StartsWith("CO-ROUTINE ", StringComparison.Ordinal) || l.StartsWith("MATERIALIZE ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1]).ToHashSet();
        return
        [
            .. plan.Select(l => l.Trim()).Where(l => l.StartsWith("SCAN ", StringComparison.Ordinal) && !l.Contains(" INDEX", StringComparison.Ordinal))
                .Select(l => l.Split(' ')[1]).Where(name => !subqueries.Contains(name)),
        ];
    }

    private static DbCommand Command(DbConnection connection, string sql, IReadOnlyDictionary<string, object> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
