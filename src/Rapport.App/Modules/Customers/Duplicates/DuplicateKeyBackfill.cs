using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>
/// Once at start: gives match keys to companies and contacts saved before duplicate keys existed (every save keeps
/// them in step since), in batches, through the entities' own methods. Nothing else changes, so no audit rows are
/// written. Safe on several nodes: a row another node got first is skipped.
/// </summary>
public sealed class DuplicateKeyBackfill(IServiceScopeFactory scopes, ILogger<DuplicateKeyBackfill> log) : BackgroundService
{
    private const int Batch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var count = await RunOnceAsync(stoppingToken);
            if (count > 0)
            {
                log.LogInformation("Gave duplicate keys to {Count} older companies and contacts", count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Duplicate key backfill failed; it runs again at the next start");
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken ct) =>
        await BackfillAsync(db => db.Set<Company>().IgnoreQueryFilters().Where(c => c.NameKey == null).Select(c => new Row { WorkspaceId = c.WorkspaceId, Id = c.Id }), ct)
        + await BackfillAsync(db => db.Set<Contact>().IgnoreQueryFilters()
            .Where(c => !c.DuplicateKeys.Any() && (c.Emails.Count > 0 || c.Phones.Count > 0 || c.Companies.Any())).Select(c => new Row { WorkspaceId = c.WorkspaceId, Id = c.Id }), ct);

    /// <summary>Member-initialized (not positional), so the id filter after the projection still translates to SQL.</summary>
    private sealed class Row
    {
        public Guid WorkspaceId { get; init; }
        public Guid Id { get; init; }
    }

    /// <summary>Walks the rows <paramref name="pending"/> selects, in id order (a row that still has no key after its turn is passed, not retried).</summary>
    private async Task<int> BackfillAsync(Func<RapportDbContext, IQueryable<Row>> pending, CancellationToken ct)
    {
        var done = 0;
        var after = Guid.Empty;
        while (true)
        {
            List<Row> rows;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
                rows = await pending(db).Where(r => r.Id.CompareTo(after) > 0).OrderBy(r => r.Id).Take(Batch).ToListAsync(ct);
            }

            foreach (var workspace in rows.GroupBy(r => r.WorkspaceId))
            {
                done += await RefreshAsync(workspace.Key, [.. workspace.Select(r => r.Id)], ct);
            }

            if (rows.Count < Batch)
            {
                return done;
            }

            after = rows[^1].Id;
        }
    }

    private async Task<int> RefreshAsync(Guid workspaceId, List<Guid> ids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        string[] trash = [RapportDbContext.TrashFilter];
        foreach (var company in await db.Set<Company>().IgnoreQueryFilters(trash).Where(c => ids.Contains(c.Id)).ToListAsync(ct))
        {
            company.Change(company.Fields);
        }

        foreach (var contact in await ContactRules.WithLinks(db.Set<Contact>().IgnoreQueryFilters(trash)).Where(c => ids.Contains(c.Id)).ToListAsync(ct))
        {
            contact.Change(contact.Fields, [.. contact.Phones.Zip(contact.PhonesAsTyped)]);
        }

        try
        {
            await db.SaveChangesAsync(ct);
            return ids.Count;
        }
        catch (DbUpdateException e)
        {
            log.LogWarning(e, "Duplicate keys of {Count} records not written (changed meanwhile, or by another node)", ids.Count);
            return 0;
        }
    }
}
