using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Roles;

namespace Rapport.Modules.Identity.Access;

/// <summary>Administration (users, roles, teams, invitations, access checks) is for administrators only.</summary>
internal static class Administrators
{
    public const string Refusal = "Only workspace administrators may do this.";

    public static async Task<Outcome<T>?> RequireAsync<T>(IAccessControl access, CancellationToken ct) =>
        await access.IsAdministratorAsync(ct) ? null : Outcome<T>.Forbidden(Refusal);

    /// <summary>How many active members hold an administrator role.</summary>
    public static async Task<int> CountAsync(RapportDbContext db, CancellationToken ct) =>
        await db.Set<MembershipRole>()
            .Join(db.Set<Role>().Where(r => r.IsAdministrator), m => m.RoleId, r => r.Id, (m, _) => m.UserId)
            .Where(userId => db.Memberships.Any(m => m.UserId == userId && m.DeactivatedAt == null))
            .Distinct().CountAsync(ct);
}
