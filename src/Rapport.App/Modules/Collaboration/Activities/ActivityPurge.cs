using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Jobs;
using Rapport.Modules.Collaboration.Files;

namespace Rapport.Modules.Collaboration.Activities;

/// <summary>
/// When the purge job deletes records for good: links from a purged activity and links to a purged record go in the
/// same transaction; the bytes of purged files are deleted once it committed.
/// </summary>
internal sealed class ActivityPurge(FileStore store) : IPurgeParticipant
{
    public async Task PurgingAsync(RapportDbContext db, IReadOnlyList<BusinessRecord> records, CancellationToken ct)
    {
        if (records.Count == 0)
        {
            return;
        }

        var ids = records.Select(r => r.Id).ToList();
        var entityType = RapportDbContext.EntityName(records[0].GetType());
        db.RemoveRange(await db.Set<ActivityLink>()
            .Where(l => ids.Contains(l.ActivityId) || l.EntityType == entityType && ids.Contains(l.RecordId)).ToListAsync(ct));
    }

    public Task PurgedAsync(IReadOnlyList<BusinessRecord> records, CancellationToken ct)
    {
        foreach (var file in records.OfType<StoredFile>())
        {
            store.Delete(file.WorkspaceId, file.StorageName);
        }

        return Task.CompletedTask;
    }
}
