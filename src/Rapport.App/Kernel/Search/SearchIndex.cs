using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Search;

/// <summary>
/// Rebuilds the search index from the records: for the <c>reindex</c> verb (after a search source gains a
/// field, or to repair), and at start-up when the index is empty but records exist (a database from
/// before search). Saves keep the index in step on their own (<see cref="SearchIndexing"/>).
/// </summary>
public sealed class SearchIndex(IServiceScopeFactory scopes, SearchCatalog catalog, ILogger<SearchIndex> log)
{
    private const int Batch = 500;

    /// <summary>Rebuilds every workspace's index; returns the number of records indexed.</summary>
    public async Task<int> RebuildAllAsync(CancellationToken ct)
    {
        List<Guid> workspaces;
        await using (var scope = scopes.CreateAsyncScope())
        {
            workspaces = await scope.ServiceProvider.GetRequiredService<RapportDbContext>().Workspaces.Select(w => w.Id).ToListAsync(ct);
        }

        var records = 0;
        foreach (var workspace in workspaces)
        {
            records += await RebuildAsync(workspace, ct);
        }

        return records;
    }

    /// <summary>Rebuilds when no index row exists but records with a search source do.</summary>
    public async Task RebuildIfEmptyAsync(CancellationToken ct)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            if (await db.Set<SearchEntry>().IgnoreQueryFilters().AnyAsync(ct) || !await AnyRecordAsync(db, ct))
            {
                return;
            }
        }

        log.LogInformation("The search index is empty: indexing existing records");
        var records = await RebuildAllAsync(ct);
        log.LogInformation("Search index built for {Count} records", records);
    }

    private async Task<bool> AnyRecordAsync(RapportDbContext db, CancellationToken ct)
    {
        foreach (var source in catalog.Sources)
        {
            var any = typeof(SearchIndex).GetMethod(nameof(AnyOfAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(source.RecordType);
            if (await (Task<bool>)any.Invoke(null, [db, ct])!)
            {
                return true;
            }
        }

        return false;
    }

    private static Task<bool> AnyOfAsync<T>(RapportDbContext db, CancellationToken ct) where T : class => db.Set<T>().IgnoreQueryFilters().AnyAsync(ct);

    /// <summary>
    /// Clears a workspace's index, then writes its records' rows in batches, each batch in a transaction of its
    /// own that first removes what a save running meanwhile may have written for the same records.
    /// </summary>
    public async Task<int> RebuildAsync(Guid workspaceId, CancellationToken ct)
    {
        await using (var scope = WorkspaceScope(workspaceId, out var db))
        {
            await db.Set<SearchEntry>().ExecuteDeleteAsync(ct);
        }

        var count = 0;
        string? country = null;
        foreach (var source in catalog.Sources)
        {
            Guid? after = null;
            while (true)
            {
                await using var scope = WorkspaceScope(workspaceId, out var db);
                var records = await source.BatchAsync(db, after, Batch, ct);
                if (records.Count == 0)
                {
                    break;
                }

                if (country is null && records.Any(source.NeedsCountry))
                {
                    country = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.DefaultCountry).SingleAsync(ct);
                }

                var ids = records.Select(r => r.Id).ToList();
                var type = source.EntityType;
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await db.Set<SearchEntry>().Where(e => e.EntityType == type && ids.Contains(e.RecordId)).ExecuteDeleteAsync(ct);
                db.AddRange(records.SelectMany(r => source.Texts(r, country).Select(t => new SearchEntry(workspaceId, type, r.Id, t.Key, t.Value))));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                count += records.Count;
                after = ids[^1];
                if (records.Count < Batch)
                {
                    break;
                }
            }
        }

        return count;
    }

    private AsyncServiceScope WorkspaceScope(Guid workspaceId, out RapportDbContext db)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem(workspaceId);
        db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        return scope;
    }
}
