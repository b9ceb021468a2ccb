using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Merging;

/// <summary>
/// A record that can be merged into another. The merged record stays as a tombstone: in the trash, with
/// <see cref="MergedIntoId"/> pointing at the survivor, until the trash purge removes it.
/// </summary>
public interface IMergedRecord
{
    Guid? MergedIntoId { get; }
}

public static class Tombstones
{
    /// <summary>The survivor a record the caller may read was merged into, or null (no such record, not merged, or not readable).</summary>
    public static async Task<Guid?> MergedIntoAsync<T>(RapportDbContext db, IAccessControl access, string entity, Guid id, CancellationToken ct)
        where T : BusinessRecord, IOwnedRecord, IMergedRecord
    {
        var merged = db.Set<T>().AsNoTracking().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(r => r.MergedIntoId != null);
        var visible = await access.ScopeAsync(merged, entity, AccessAction.Read, ct);
        return await visible.Where(r => r.Id == id).Select(r => r.MergedIntoId).SingleOrDefaultAsync(ct);
    }
}
