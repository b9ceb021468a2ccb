using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.TwoFactor;

/// <summary>Whether the signed-in person has two-factor sign-in, how many recovery codes are left, and whether the workspace requires it.</summary>
public static class GetTwoFactorStatus
{
    public sealed record Response(bool Enabled, DateTimeOffset? EnabledAt, int RecoveryCodesLeft, bool RequiredByWorkspace);

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser)
    {
        public async Task<Outcome<Response>> HandleAsync(CancellationToken ct)
        {
            var user = await db.Set<User>().AsNoTracking().SingleOrDefaultAsync(u => u.Id == currentUser.UserId, ct);
            if (user is null)
            {
                return Outcome<Response>.NotFound();
            }

            var required = await db.Workspaces.Where(w => w.Id == currentUser.WorkspaceId).Select(w => w.RequireTwoFactor).SingleOrDefaultAsync(ct);
            return Outcome<Response>.Ok(new Response(user.HasTwoFactor, user.TwoFactorEnabledAt, user.RecoveryCodeHashes.Count, required));
        }
    }

    public static void Map(IEndpointRouteBuilder twoFactor) =>
        twoFactor.MapGet("/", async (Handler handler, CancellationToken ct) => (await handler.HandleAsync(ct)).ToHttp("user", TypedResults.Ok))
            .WithName("GetTwoFactorStatus")
            .WithSummary("Your two-factor sign-in status")
            .Produces<Response>();
}
