using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Deals;

/// <summary>Lets notes, files and later activities link to deals (see <see cref="IRecordType"/>).</summary>
internal sealed class DealRecords(RapportDbContext db, IAccessControl access) : OwnedRecordType<Deal>(db, access, Deal.TypeName)
{
    protected override async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IQueryable<Deal> records, CancellationToken ct) =>
        await records.ToDictionaryAsync(d => d.Id, d => d.Name, ct);

    public override string Pages => "/deals";
}

/// <summary>
/// Deals follow the companies and contacts they are with: merged duplicates hand their deals to the survivor, and a company
/// or contact purged from the trash leaves its deals (each change audited on the deal, in the same transaction).
/// </summary>
internal sealed class DealLinks : IRecordMergeParticipant, IPurgeParticipant
{
    public async Task MoveAsync(RapportDbContext db, string entityType, Guid mergedId, Guid survivorId, CancellationToken ct) =>
        await ReplaceAsync(db, entityType, [mergedId], survivorId, ct);

    public async Task PurgingAsync(RapportDbContext db, IReadOnlyList<BusinessRecord> records, CancellationToken ct)
    {
        if (records.Count > 0)
        {
            await ReplaceAsync(db, RapportDbContext.EntityName(records[0].GetType()), [.. records.Select(r => r.Id)], null, ct);
        }
    }

    public Task PurgedAsync(IReadOnlyList<BusinessRecord> records, CancellationToken ct) => Task.CompletedTask;

    private static async Task ReplaceAsync(RapportDbContext db, string entityType, List<Guid> ids, Guid? survivorId, CancellationToken ct)
    {
        var deals = db.Set<Deal>().IgnoreQueryFilters([RapportDbContext.TrashFilter]);
        if (entityType == DealRules.CompanyType)
        {
            foreach (var deal in await deals.Where(d => d.CompanyId != null && ids.Contains(d.CompanyId.Value)).ToListAsync(ct))
            {
                deal.ReplaceCompany(survivorId);
            }
        }
        else if (entityType == DealRules.ContactType)
        {
            foreach (var deal in await deals.Include(d => d.Contacts).Where(d => d.Contacts.Any(c => ids.Contains(c.ContactId))).ToListAsync(ct))
            {
                foreach (var id in ids)
                {
                    deal.ReplaceContact(id, survivorId);
                }

                db.Entry(deal).Property(d => d.Version).IsModified = true; // contact links alone still make a new version
            }
        }
    }
}
