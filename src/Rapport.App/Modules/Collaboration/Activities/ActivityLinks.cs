using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Collaboration.Activities;

/// <summary>
/// Access to activities follows the records they are linked to: an activity is visible to whoever may read one of
/// its records; linking it to a record needs the update right on that record; changing or deleting it is for its
/// author while they may update one of its records, or for whoever may update all of them.
/// </summary>
public sealed class ActivityLinks(RapportDbContext db, RecordDirectory records)
{
    /// <summary>Ids of the activities of <paramref name="activityType"/> linked to a record the current user may read.</summary>
    public async Task<IQueryable<Guid>> VisibleAsync(string activityType, CancellationToken ct)
    {
        IQueryable<Guid>? visible = null;
        foreach (var entityType in records.EntityTypes)
        {
            var readable = await records.Find(entityType)!.ReachableAsync(AccessAction.Read, ct);
            var ids = db.Set<ActivityLink>().Where(l => l.ActivityType == activityType && l.EntityType == entityType && readable.Contains(l.RecordId))
                .Select(l => l.ActivityId);
            visible = visible is null ? ids : visible.Union(ids);
        }

        return visible ?? db.Set<ActivityLink>().Where(_ => false).Select(l => l.ActivityId);
    }

    public Task<List<ActivityLink>> OfAsync(Guid activityId, CancellationToken ct) =>
        db.Set<ActivityLink>().Where(l => l.ActivityId == activityId).OrderBy(l => l.Id).ToListAsync(ct);

    public async Task<Dictionary<Guid, List<RecordRef>>> OfAsync(IReadOnlyCollection<Guid> activityIds, CancellationToken ct) =>
        (await db.Set<ActivityLink>().AsNoTracking().Where(l => activityIds.Contains(l.ActivityId)).OrderBy(l => l.Id).ToListAsync(ct))
        .GroupBy(l => l.ActivityId).ToDictionary(g => g.Key, g => g.Select(l => l.Record).ToList());

    public async Task<bool> AnyAsync(IEnumerable<RecordRef> links, AccessAction action, CancellationToken ct)
    {
        foreach (var link in links)
        {
            if (await records.CanAsync(link, action, ct))
            {
                return true;
            }
        }

        return false;
    }

    public async Task<bool> AllAsync(IReadOnlyCollection<RecordRef> links, AccessAction action, CancellationToken ct)
    {
        foreach (var link in links)
        {
            if (!await records.CanAsync(link, action, ct))
            {
                return false;
            }
        }

        return links.Count > 0;
    }

    /// <summary>Whether the current user may change or delete an activity with these links and this author.</summary>
    public async Task<bool> CanChangeAsync(IReadOnlyCollection<RecordRef> links, Guid? authorId, Guid? userId, CancellationToken ct) =>
        authorId is not null && authorId == userId ? await AnyAsync(links, AccessAction.Update, ct) : await AllAsync(links, AccessAction.Update, ct);

    /// <summary>
    /// Checks links an activity is about to get: known record types, records of this workspace the user may read
    /// (else a field error), and may update (else 403). Links in <paramref name="existing"/> are kept, not checked.
    /// Returns the refusal, or null when all is well.
    /// </summary>
    public async Task<Outcome<T>?> CheckNewAsync<T>(IReadOnlyList<RecordRef?>? links, bool required, CancellationToken ct, IReadOnlyCollection<RecordRef?>? existing = null)
    {
        if (links is null || links.Count == 0)
        {
            return required ? Outcome<T>.Invalid("links", "Link it to at least one record (a contact or a company).") : null;
        }

        if (links.Count > ActivityLink.MaxLinks)
        {
            return Outcome<T>.Invalid("links", $"Link it to at most {ActivityLink.MaxLinks} records.");
        }

        var errors = new Dictionary<string, string[]>();
        var forbidden = false;
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (link is null || records.Find(link.EntityType ?? "") is null)
            {
                errors[$"links[{i}].entityType"] = [$"Link to one of: {string.Join(", ", records.EntityTypes)}."];
            }
            else if (existing?.Contains(link) == true)
            {
                continue;
            }
            else if (!await records.CanAsync(link, AccessAction.Read, ct))
            {
                errors[$"links[{i}].recordId"] = [$"No {link.EntityType} with this id exists in your workspace."];
            }
            else if (!await records.CanAsync(link, AccessAction.Update, ct))
            {
                forbidden = true;
            }
        }

        return errors.Count > 0 ? Outcome<T>.Invalid(errors)
            : forbidden ? Outcome<T>.Forbidden("Adding to a record's timeline needs the right to change that record.")
            : null;
    }

    /// <summary>Adds the links of <paramref name="wanted"/> the activity lacks and removes those the caller could see but left out.</summary>
    public async Task ReplaceAsync(string activityType, Guid activityId, IReadOnlyList<ActivityLink> current, IEnumerable<RecordRef> wanted, CancellationToken ct)
    {
        var want = wanted.Distinct().ToList();
        foreach (var link in current.Where(l => !want.Contains(l.Record)))
        {
            if (await records.CanAsync(link.Record, AccessAction.Read, ct))
            {
                db.Remove(link); // links to records the caller cannot see stay as they are
            }
        }

        foreach (var record in want.Where(r => current.All(l => l.Record != r)))
        {
            db.Add(ActivityLink.Create(activityType, activityId, record));
        }
    }

    public void Add(string activityType, Guid activityId, IEnumerable<RecordRef> links)
    {
        foreach (var record in links.Distinct())
        {
            db.Add(ActivityLink.Create(activityType, activityId, record));
        }
    }

    /// <summary>Each activity's links the caller may read, named (one query per record type).</summary>
    public async Task<Dictionary<Guid, List<NamedRecordRef>>> NamedByActivityAsync(IReadOnlyCollection<Guid> activityIds, CancellationToken ct)
    {
        var byActivity = await OfAsync(activityIds, ct);
        var named = (await NamedAsync(byActivity.Values.SelectMany(l => l).Distinct(), ct)).ToDictionary(r => new RecordRef(r.EntityType, r.RecordId));
        return byActivity.ToDictionary(a => a.Key, a => a.Value.Where(named.ContainsKey).Select(r => named[r]).ToList());
    }

    /// <summary>The links the caller may read, named.</summary>
    public Task<IReadOnlyList<NamedRecordRef>> NamedAsync(IEnumerable<RecordRef> links, CancellationToken ct) => records.NameAsync(links, ct);
}
