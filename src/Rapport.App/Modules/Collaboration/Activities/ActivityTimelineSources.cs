using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Timeline;
using Rapport.Modules.Collaboration.Files;
using Rapport.Modules.Collaboration.Notes;

namespace Rapport.Modules.Collaboration.Activities;

/// <summary>The notes linked to a record, on its timeline.</summary>
internal sealed class NoteTimelineSource(RapportDbContext db, ActivityLinks links) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string entityType, Guid recordId, TimelineBoundary? before, int limit, CancellationToken ct)
    {
        var at = before?.At ?? default;
        var id = before?.Id ?? default;
        var linked = db.Set<ActivityLink>().Where(l => l.EntityType == entityType && l.RecordId == recordId && l.ActivityType == Note.TypeName).Select(l => l.ActivityId);
        var notes = await db.Set<Note>().AsNoTracking()
            .Where(n => linked.Contains(n.Id))
            .Before(before, n => n.CreatedAt < at || n.CreatedAt == at && n.Id.CompareTo(id) < 0)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Take(limit).ToListAsync(ct);
        var named = await links.NamedByActivityAsync([.. notes.Select(n => n.Id)], ct);
        return [.. notes.Select(n => new TimelineEntry(Note.TypeName, n.Id, n.CreatedAt, n.AuthorId,
            Html: n.Html, Links: named.GetValueOrDefault(n.Id, []), Mentions: n.Mentions, EditedAt: n.UpdatedAt > n.CreatedAt ? n.UpdatedAt : null, Version: n.Version))];
    }
}

/// <summary>The files linked to a record, on its timeline.</summary>
internal sealed class FileTimelineSource(RapportDbContext db, ActivityLinks links) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string entityType, Guid recordId, TimelineBoundary? before, int limit, CancellationToken ct)
    {
        var at = before?.At ?? default;
        var id = before?.Id ?? default;
        var linked = db.Set<ActivityLink>().Where(l => l.EntityType == entityType && l.RecordId == recordId && l.ActivityType == StoredFile.TypeName).Select(l => l.ActivityId);
        var files = await db.Set<StoredFile>().AsNoTracking()
            .Where(f => linked.Contains(f.Id))
            .Before(before, f => f.CreatedAt < at || f.CreatedAt == at && f.Id.CompareTo(id) < 0)
            .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id)
            .Take(limit).ToListAsync(ct);
        var named = await links.NamedByActivityAsync([.. files.Select(f => f.Id)], ct);
        return [.. files.Select(f => new TimelineEntry(StoredFile.TypeName, f.Id, f.CreatedAt, f.UploadedBy,
            File: new TimelineFile(f.Name, f.Size, f.ContentType, FileDto.ContentUrlOf(f.Id)), Links: named.GetValueOrDefault(f.Id, []), Version: f.Version))];
    }
}
