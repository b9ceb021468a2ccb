using Microsoft.EntityFrameworkCore;

namespace Rapport.Kernel.Data;

/// <summary>
/// Keeps PostgreSQL's statistics in step with a bulk job. The planner plans — and caches the plans of, the foreign-key
/// checks its triggers run included — from the statistics of the tables a statement reads; a table last analyzed while
/// empty (a new workspace's contacts, say) is planned as empty, and a check that walks an index of the whole table then
/// reads more rows with every batch. So a job analyzes each table once, after the first batch that wrote to it commits;
/// from then on the planner scales the row count with the table's size, and autovacuum keeps the statistics fresh. The
/// ANALYZE invalidates the cached plans. SQLite plans without such statistics: nothing to do there.
/// </summary>
public sealed class TableStatistics
{
    private readonly HashSet<string> _analyzed = [];

    /// <summary>Analyzes the tables <paramref name="db"/> wrote in bulk that this job has not analyzed yet; after the batch's commit.</summary>
    public async Task RefreshAfterFirstWritesAsync(RapportDbContext db, CancellationToken ct)
    {
        if (db.IsSqlite)
        {
            return;
        }

        List<string> first;
        lock (_analyzed) // batches of a job may commit on two connections at once
        {
            first = [.. db.TablesWrittenInBulk.Where(_analyzed.Add)];
        }

        foreach (var table in first)
        {
#pragma warning disable EF1003 // the table's name comes from the model (BulkInsert quotes it), never from input
            await db.Database.ExecuteSqlRawAsync("ANALYZE " + table, ct);
#pragma warning restore EF1003
        }
    }
}
