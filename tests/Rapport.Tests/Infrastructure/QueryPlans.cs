using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Rapport.Tests.Infrastructure;

/// <summary>Asks the database how it would run a statement the host sent (to prove an index serves it).</summary>
public static class QueryPlans
{
    /// <summary>The plan for a statement as sent: SQLite's <c>EXPLAIN QUERY PLAN</c>, PostgreSQL's <c>EXPLAIN</c> without sequential scans, as a big table would be read.</summary>
    public static async Task<string> ExplainAsync(RapportFactory factory, Tenant who, SentStatement statement, CancellationToken ct)
    {
        var sqlite = factory.Provider == TestDatabases.Sqlite;
        await using var scope = factory.WorkspaceScope(who.WorkspaceId, out var db);
        await using var connection = await OpenAsync(db, ct);
        if (!sqlite)
        {
            await using var setting = connection.CreateCommand();
            setting.CommandText = "SET enable_seqscan = off";
            await setting.ExecuteNonQueryAsync(ct);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + statement.Sql;
        foreach (var (name, value) in statement.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(reader.GetString(sqlite ? 3 : 0));
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>
    /// A connection of its own, opened on the host's database. SQLite plans <c>EXPLAIN QUERY PLAN</c> with the schema its
    /// connection last read, without checking it (running a statement does): a pooled connection idle since before another
    /// one created an index would not see the index.
    /// </summary>
    public static async Task<DbConnection> OpenAsync(Rapport.Kernel.Data.RapportDbContext db, CancellationToken ct)
    {
        DbConnection connection = db.IsSqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ToString())
            : new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(ct);
        return connection;
    }
}
