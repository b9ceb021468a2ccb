using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Entities;

namespace Rapport.Kernel.Security;

/// <summary>The access steps every record write shares: 404 for what one cannot see, 403 for what one may not do.</summary>
public static class RecordAccess
{
    /// <summary>Loads a record for <paramref name="action"/>: not found (or not readable) → 404; readable but not allowed → 403.</summary>
    public static async Task<(T? Record, Outcome<TDto>? Refusal)> LoadForAsync<T, TDto>(
        IQueryable<T> records, IAccessControl access, string entity, Guid id, AccessAction action, CancellationToken ct)
        where T : WorkspaceEntity, IOwnedRecord
    {
        var record = await records.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (record is null || !await access.CanAsync(record, entity, AccessAction.Read, ct))
        {
            return (null, Outcome<TDto>.NotFound());
        }

        return await access.CanAsync(record, entity, action, ct)
            ? (record, null)
            : (null, Outcome<TDto>.Forbidden($"Your roles do not allow you to {Verb(action)} this {entity}."));
    }

    /// <summary>
    /// Giving a record an owner other than yourself, or a team, needs the assign right on the record as it was
    /// and on the owner and team it gets.
    /// </summary>
    public static async Task<Outcome<TDto>?> CheckAssignmentAsync<TDto>(
        IAccessControl access, ICurrentUser user, string entity, IOwnedRecord? before, Guid? ownerId, Guid? teamId, CancellationToken ct)
    {
        var changes = before is null ? ownerId != user.UserId || teamId is not null : before.OwnerId != ownerId || before.TeamId != teamId;
        if (!changes)
        {
            return null;
        }

        var allowed = (before is null || await access.CanAsync(before, entity, AccessAction.Assign, ct))
                      && await access.CanAsync(new OwnedProbe(ownerId, teamId), entity, AccessAction.Assign, ct);
        return allowed ? null : Outcome<TDto>.Forbidden($"Your roles do not allow you to assign this {entity} to that owner or team.");
    }

    private static string Verb(AccessAction action) => action switch
    {
        AccessAction.Update => "change",
        AccessAction.Delete => "delete or restore",
        _ => action.ToString().ToLowerInvariant(),
    };
}
