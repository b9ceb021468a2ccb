using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Roles;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Members;

/// <summary>The people of the workspace with their roles and teams; every member may read it (owner pickers need it).</summary>
public static class ListMembers
{
    public sealed record RoleRef(Guid Id, string Name);

    public sealed record MemberDto(
        Guid UserId, string Email, string DisplayName, DateTimeOffset JoinedAt, DateTimeOffset? DeactivatedAt, IReadOnlyList<RoleRef> Roles, IReadOnlyList<Guid> TeamIds);

    public sealed class Handler(RapportDbContext db)
    {
        public async Task<IReadOnlyList<MemberDto>> HandleAsync(CancellationToken ct)
        {
            var people = await db.Memberships.AsNoTracking()
                .Join(db.Set<User>(), m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.Email, u.DisplayName, m.JoinedAt, m.DeactivatedAt })
                .OrderBy(p => p.DisplayName).ThenBy(p => p.Id).ToListAsync(ct);
            var roles = await db.Set<MembershipRole>().Join(db.Set<Role>(), m => m.RoleId, r => r.Id, (m, r) => new { m.UserId, r.Id, r.Name })
                .ToListAsync(ct);
            var teams = await db.Set<TeamMember>().Select(t => new { t.UserId, t.TeamId }).ToListAsync(ct);
            return [.. people.Select(p => new MemberDto(p.Id, p.Email, p.DisplayName, p.JoinedAt, p.DeactivatedAt,
                [.. roles.Where(r => r.UserId == p.Id).Select(r => new RoleRef(r.Id, r.Name)).OrderBy(r => r.Name, StringComparer.Ordinal)],
                [.. teams.Where(t => t.UserId == p.Id).Select(t => t.TeamId)]))];
        }
    }

    public static void Map(RouteGroupBuilder members) =>
        members.MapGet("/", async (Handler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListMembers")
            .WithSummary("List the workspace's members with their roles and teams")
            .Produces<IReadOnlyList<MemberDto>>();
}
