using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Modules.Identity.Contracts;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Members;

internal sealed class MemberDirectory(RapportDbContext db) : IMemberDirectory
{
    public async Task<IReadOnlyDictionary<Guid, string>> DisplayNamesAsync(CancellationToken ct) =>
        await db.Memberships.Join(db.Set<User>(), m => m.UserId, u => u.Id, (_, u) => new { u.Id, u.DisplayName })
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

    public async Task<IReadOnlyDictionary<Guid, string>> EmailsAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct) =>
        await db.Memberships.Where(m => userIds.Contains(m.UserId)).Join(db.Set<User>(), m => m.UserId, u => u.Id, (_, u) => new { u.Id, u.Email })
            .ToDictionaryAsync(u => u.Id, u => u.Email, ct);

    public async Task<IReadOnlyDictionary<Guid, string>> TeamNamesAsync(CancellationToken ct) =>
        await db.Set<Rapport.Kernel.Workspaces.Team>().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
}
