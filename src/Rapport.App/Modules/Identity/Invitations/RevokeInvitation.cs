using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;

namespace Rapport.Modules.Identity.Invitations;

public static class RevokeInvitation
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<InviteMember.InvitationDto>> HandleAsync(Guid id, CancellationToken ct)
        {
            if (await Administrators.RequireAsync<InviteMember.InvitationDto>(access, ct) is { } refused)
            {
                return refused;
            }

            var invitation = await db.Set<Invitation>().SingleOrDefaultAsync(i => i.Id == id && i.AcceptedAt == null, ct);
            if (invitation is null)
            {
                return Outcome<InviteMember.InvitationDto>.NotFound();
            }

            invitation.Revoke(clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return Outcome<InviteMember.InvitationDto>.Ok(InviteMember.InvitationDto.From(invitation, null));
        }
    }

    public static void Map(RouteGroupBuilder invitations) =>
        invitations.MapDelete("/{id:guid}", async (Guid id, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp("open invitation", _ => TypedResults.NoContent()))
            .WithName("RevokeInvitation")
            .WithSummary("Revoke an open invitation (admins only)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
