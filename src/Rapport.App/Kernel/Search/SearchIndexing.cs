using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;

namespace Rapport.Kernel.Search;

/// <summary>
/// Keeps the search index in step inside the save that changes a record (called by
/// <see cref="RapportDbContext"/> before it writes): for every record with a search source that is
/// added, changed, moved to the trash, restored or deleted, its index rows are rewritten to what the
/// record now says — none while it is in the trash or gone. One query loads the rows of the changed
/// records; only rows whose text changed are written.
/// </summary>
internal static class SearchIndexing
{
    public static async Task RewriteAsync(RapportDbContext db, SearchCatalog catalog, IReadOnlyList<EntityEntry> entries, bool async, CancellationToken ct)
    {
        var changed = entries
            .Select(e => (Entry: e, Source: catalog.For(e.Metadata.ClrType)))
            .Where(x => x.Source is not null && x.Entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(x => (x.Entry, Source: x.Source!, Record: (IBusinessRecord)x.Entry.Entity))
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        var country = default(string);
        var wanted = new List<(SearchSource Source, IBusinessRecord Record, bool Added, Dictionary<string, string> Texts)>();
        foreach (var (entry, source, record) in changed)
        {
            var live = entry.State != EntityState.Deleted && record.DeletedAt is null;
            if (live && country is null && source.NeedsCountry(record))
            {
                var query = db.Workspaces.Where(w => w.Id == record.WorkspaceId).Select(w => w.DefaultCountry);
                country = async ? await query.SingleAsync(ct) : query.Single();
            }

            wanted.Add((source, record, entry.State == EntityState.Added, live ? source.Texts(record, country) : []));
        }

        var existing = new List<SearchEntry>();
        foreach (var group in wanted.Where(w => !w.Added).GroupBy(w => (w.Record.WorkspaceId, w.Source.EntityType)))
        {
            var (workspaceId, type) = group.Key;
            var ids = group.Select(w => w.Record.Id).ToList();
            var rows = db.Set<SearchEntry>().IgnoreQueryFilters()
                .Where(e => e.WorkspaceId == workspaceId && e.EntityType == type && ids.Contains(e.RecordId));
            existing.AddRange(async ? await rows.ToListAsync(ct) : rows.ToList());
        }

        var byRecord = existing.ToLookup(e => (e.EntityType, e.RecordId));
        foreach (var (source, record, _, texts) in wanted)
        {
            var rows = byRecord[(source.EntityType, record.Id)].ToDictionary(e => e.Field);
            foreach (var (field, text) in texts)
            {
                if (!rows.TryGetValue(field, out var row))
                {
                    db.Add(new SearchEntry(record.WorkspaceId, source.EntityType, record.Id, field, text));
                }
                else if (row.Text != text)
                {
                    db.Entry(row).Property(e => e.Text).CurrentValue = text;
                }
            }

            foreach (var (_, row) in rows.Where(r => !texts.ContainsKey(r.Key)))
            {
                db.Remove(row);
            }
        }
    }
}
