using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Quotas;

/// <summary>
/// Who reaches which quotas. Quotas are a workspace setting (no owner): a role that may change them (level "all":
/// administrators, sales managers) reads them all; a role that only reads them (sales reps…) reads the caller's own.
/// Writes need the action at level "all". 404 for a quota one cannot read, 403 for one one may read but not change.
/// </summary>
internal static class QuotaAccess
{
    public static async Task<bool> MayAsync(IAccessControl access, AccessAction action, CancellationToken ct) =>
        await access.LevelAsync(Quota.TypeName, action, ct) == AccessLevel.All;

    /// <summary>The quotas the caller may read, or null when they may read none.</summary>
    public static async Task<IQueryable<Quota>?> ReadableAsync(RapportDbContext db, IAccessControl access, ICurrentUser user, CancellationToken ct)
    {
        if (await MayAsync(access, AccessAction.Update, ct))
        {
            return db.Set<Quota>();
        }

        return await access.LevelAsync(Quota.TypeName, AccessAction.Read, ct) > AccessLevel.None && user.UserId is { } me
            ? db.Set<Quota>().Where(q => q.UserId == me)
            : null;
    }

    public static async Task<(Quota? Quota, Outcome<QuotaDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, ICurrentUser user, Guid id, AccessAction action, CancellationToken ct)
    {
        var readable = await ReadableAsync(db, access, user, ct);
        if (readable is null || await readable.SingleOrDefaultAsync(q => q.Id == id, ct) is not { } quota)
        {
            return (null, Outcome<QuotaDto>.NotFound());
        }

        return action == AccessAction.Read || await MayAsync(access, action, ct)
            ? (quota, null)
            : (null, Outcome<QuotaDto>.Forbidden($"Your roles do not allow you to {(action == AccessAction.Delete ? "delete" : "change")} quotas."));
    }
}
