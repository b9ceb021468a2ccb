using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Records;

namespace Rapport.Modules.Collaboration.Activities;

/// <summary>
/// When duplicates merge, their notes, files and other activities move to the survivor: each link to the merged
/// record points at the survivor instead, unless the activity is linked to the survivor already (then it goes).
/// </summary>
internal sealed class ActivityLinkMerge : IRecordMergeParticipant
{
    public async Task MoveAsync(RapportDbContext db, string entityType, Guid mergedId, Guid survivorId, CancellationToken ct)
    {
        var moving = await db.Set<ActivityLink>().Where(l => l.EntityType == entityType && l.RecordId == mergedId).ToListAsync(ct);
        if (moving.Count == 0)
        {
            return;
        }

        var activities = moving.Select(l => l.ActivityId).ToList();
        var onSurvivor = (await db.Set<ActivityLink>()
            .Where(l => l.EntityType == entityType && l.RecordId == survivorId && activities.Contains(l.ActivityId))
            .Select(l => l.ActivityId).ToListAsync(ct)).ToHashSet();
        var survivor = new RecordRef(entityType, survivorId);
        foreach (var link in moving)
        {
            db.Remove(link);
            if (!onSurvivor.Contains(link.ActivityId))
            {
                db.Add(ActivityLink.Create(link.ActivityType, link.ActivityId, survivor));
            }
        }
    }
}
