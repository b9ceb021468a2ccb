using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Modules.Identity.Contracts;

namespace Rapport.Modules.Collaboration.Notes;

/// <summary>For timelines: every member's display name (authors) and the active members one may @mention.</summary>
public static class ListPeople
{
    public sealed record People(IReadOnlyDictionary<Guid, string> Names, IReadOnlyList<(Guid Id, string Name)> Mentionable);

    public sealed class Handler(RapportDbContext db, IMemberDirectory members)
    {
        public async Task<People> HandleAsync(CancellationToken ct)
        {
            var names = await members.DisplayNamesAsync(ct);
            var active = await db.Memberships.Where(m => m.DeactivatedAt == null).Select(m => m.UserId).ToListAsync(ct);
            return new People(names, [.. active.Where(names.ContainsKey).Select(id => (id, names[id])).OrderBy(p => p.Item2, StringComparer.CurrentCulture)]);
        }
    }
}
