using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;

namespace Rapport.Modules.Identity.Invitations;

/// <summary>Invitations not yet accepted, revoked or expired (admins only; links are not shown again).</summary>
public static class ListInvitations
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<IReadOnlyList<InviteMember.InvitationDto>>> HandleAsync(CancellationToken ct)
        {
            if (await Administrators.RequireAsync<IReadOnlyList<InviteMember.InvitationDto>>(access, ct) is { } refused)
            {
                return refused;
            }

            var now = clock.GetUtcNow();
            var open = await db.Set<Invitation>().AsNoTracking()
                .Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now).OrderByDescending(i => i.CreatedAt).ToListAsync(ct);
            return Outcome<IReadOnlyList<InviteMember.InvitationDto>>.Ok([.. open.Select(i => InviteMember.InvitationDto.From(i, null))]);
        }
    }

    public static void Map(RouteGroupBuilder invitations) =>
        invitations.MapGet("/", async (Handler handler, CancellationToken ct) => (await handler.HandleAsync(ct)).ToHttp("invitation", TypedResults.Ok))
            .WithName("ListInvitations")
            .WithSummary("List open invitations (admins only)")
            .Produces<IReadOnlyList<InviteMember.InvitationDto>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
