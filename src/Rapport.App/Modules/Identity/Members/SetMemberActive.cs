using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;
using Rapport.Modules.Identity.Tokens;

namespace Rapport.Modules.Identity.Members;

/// <summary>
/// Deactivates or reactivates a member (admins only). Deactivation revokes their tokens and API
/// keys for this workspace; their cookie and open Blazor circuits are refused on the next check
/// (every request, and every few seconds for circuits). The last active administrator stays.
/// </summary>
public static class SetMemberActive
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, ListMembers.Handler members, TimeProvider clock)
    {
        public async Task<Outcome<ListMembers.MemberDto>> HandleAsync(Guid userId, bool active, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<ListMembers.MemberDto>(access, ct) is { } refused)
            {
                return refused;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.LockWorkspaceAsync(currentUser.WorkspaceId!.Value, ct);
            var membership = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == userId, ct);
            if (membership is null)
            {
                return Outcome<ListMembers.MemberDto>.NotFound();
            }

            var now = clock.GetUtcNow();
            if (active)
            {
                membership.Reactivate();
            }
            else
            {
                membership.Deactivate(now);
                foreach (var token in await db.Set<AccessToken>().Where(t => t.UserId == userId && t.WorkspaceId == membership.WorkspaceId && t.RevokedAt == null).ToListAsync(ct))
                {
                    token.Revoke(now);
                }

                foreach (var key in await db.Set<ApiKeys.ApiKey>().Where(k => k.UserId == userId && k.RevokedAt == null).ToListAsync(ct))
                {
                    key.Revoke(now);
                }

                foreach (var session in await db.Set<Sessions.BrowserSession>().Where(s => s.UserId == userId && s.WorkspaceId == membership.WorkspaceId && s.EndedAt == null).ToListAsync(ct))
                {
                    session.End(now);
                }
            }

            await db.SaveChangesAsync(ct);
            if (await Administrators.CountAsync(db, ct) == 0)
            {
                await transaction.RollbackAsync(ct);
                return Outcome<ListMembers.MemberDto>.Conflict("The workspace needs at least one active administrator.");
            }

            await transaction.CommitAsync(ct);
            return Outcome<ListMembers.MemberDto>.Ok((await members.HandleAsync(ct)).Single(m => m.UserId == userId));
        }
    }

    public static void Map(RouteGroupBuilder members)
    {
        members.MapPost("/{userId:guid}/deactivate", async (Guid userId, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(userId, false, ct)).ToHttp("member", TypedResults.Ok))
            .WithName("DeactivateMember")
            .WithSummary("Deactivate a member: ends their sessions, tokens and API keys (admins only)")
            .Produces<ListMembers.MemberDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        members.MapPost("/{userId:guid}/reactivate", async (Guid userId, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(userId, true, ct)).ToHttp("member", TypedResults.Ok))
            .WithName("ReactivateMember")
            .WithSummary("Reactivate a member (admins only)")
            .Produces<ListMembers.MemberDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
