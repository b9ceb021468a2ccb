using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Merging;

namespace Rapport.Kernel.Security.Sharing;

/// <summary>
/// Shares of a merged record open the survivor instead. A grantee who already has a share on the survivor
/// keeps one share, with the wider access of the two.
/// </summary>
public sealed class ShareMergeParticipant : IRecordMergeParticipant
{
    public async Task MoveAsync(RapportDbContext db, string entityType, Guid mergedId, Guid survivorId, CancellationToken ct)
    {
        var shares = await db.Set<RecordShare>()
            .Where(s => s.EntityType == entityType && (s.RecordId == mergedId || s.RecordId == survivorId)).ToListAsync(ct);
        var kept = shares.Where(s => s.RecordId == survivorId).ToList();
        foreach (var share in shares.Where(s => s.RecordId == mergedId))
        {
            if (kept.FirstOrDefault(k => k.UserId == share.UserId && k.TeamId == share.TeamId) is { } existing)
            {
                if (share.Access == ShareAccess.Edit)
                {
                    existing.Change(ShareAccess.Edit);
                }

                db.Remove(share);
            }
            else
            {
                share.MoveTo(survivorId);
                kept.Add(share);
            }
        }
    }
}
