using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;
using Rapport.Modules.Identity.Roles;

namespace Rapport.Modules.Identity.Members;

/// <summary>Replaces a member's roles (admins only). The last administrator cannot lose the role.</summary>
public static class ChangeMemberRoles
{
    public sealed record Request(IReadOnlyList<Guid> RoleIds);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ListMembers.Handler members)
    {
        public async Task<Outcome<ListMembers.MemberDto>> HandleAsync(Guid userId, Request request, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<ListMembers.MemberDto>(access, ct) is { } refused)
            {
                return refused;
            }

            if (!await db.Memberships.AnyAsync(m => m.UserId == userId, ct))
            {
                return Outcome<ListMembers.MemberDto>.NotFound();
            }

            var wanted = (request.RoleIds ?? []).Distinct().ToList();
            var roles = await db.Set<Role>().Where(r => wanted.Contains(r.Id)).ToListAsync(ct);
            if (roles.Count != wanted.Count)
            {
                return Outcome<ListMembers.MemberDto>.Invalid("roleIds", "Every role must be one of this workspace's roles.");
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var workspaceId = (await db.Memberships.SingleAsync(m => m.UserId == userId, ct)).WorkspaceId;
            await db.LockWorkspaceAsync(workspaceId, ct);
            var current = await db.Set<MembershipRole>().Where(m => m.UserId == userId).ToListAsync(ct);
            db.RemoveRange(current.Where(c => !wanted.Contains(c.RoleId)));
            db.AddRange(wanted.Where(id => current.All(c => c.RoleId != id)).Select(id => new MembershipRole(workspaceId, userId, id)));
            await db.SaveChangesAsync(ct);
            if (await Administrators.CountAsync(db, ct) == 0)
            {
                await transaction.RollbackAsync(ct);
                return Outcome<ListMembers.MemberDto>.Conflict("The workspace needs at least one administrator: give someone else the Admin role first.");
            }

            await transaction.CommitAsync(ct);
            return Outcome<ListMembers.MemberDto>.Ok((await members.HandleAsync(ct)).Single(m => m.UserId == userId));
        }
    }

    public static void Map(RouteGroupBuilder members) =>
        members.MapPut("/{userId:guid}/roles", async (Guid userId, Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(userId, request, ct)).ToHttp("member", TypedResults.Ok))
            .WithName("ChangeMemberRoles")
            .WithSummary("Replace a member's roles (admins only)")
            .Produces<ListMembers.MemberDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
