using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.TwoFactor;

/// <summary>Turns two-factor sign-in off: needs the password and a current code (or a recovery code), which is used up.</summary>
public static class DisableTwoFactor
{
    public sealed record Request(string Password, string Code);

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, Passwords passwords, TwoFactorCodes codes, TimeProvider clock, ILogger<Handler> logger)
    {
        public async Task<Outcome<bool>> HandleAsync(Request request, CancellationToken ct)
        {
            var (user, refused) = await TwoFactorAccount.LoadAsync<bool>(db, currentUser, ct);
            if (refused is not null)
            {
                return refused;
            }

            if (!user!.HasTwoFactor)
            {
                return Outcome<bool>.Conflict("Two-factor sign-in is already off.");
            }

            var now = clock.GetUtcNow();
            if (await TwoFactorAccount.CheckPasswordAsync<bool>(db, passwords, user, request.Password, now, ct) is { } wrong)
            {
                return wrong;
            }

            if (!codes.TryUse(user, request.Code))
            {
                user.SignInFailed(now);
                return await TwoFactorAccount.TrySaveAsync<bool>(db, ct)
                       ?? Outcome<bool>.Invalid("code", "The code is wrong or was used already. Enter the current code from your authenticator app, or a recovery code.");
            }

            user.DisableTwoFactor();
            if (await TwoFactorAccount.TrySaveAsync<bool>(db, ct) is { } conflict)
            {
                return conflict;
            }

            logger.LogInformation("Two-factor sign-in turned off for user {UserId}", user.Id);
            return Outcome<bool>.Ok(true);
        }
    }

    public static void Map(IEndpointRouteBuilder twoFactor) =>
        twoFactor.MapPost("/disable", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("user", _ => TypedResults.NoContent()))
            .WithName("DisableTwoFactor")
            .WithSummary("Turn two-factor sign-in off")
            .WithDescription("Needs your password and a current code from your authenticator, or one of your recovery codes.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
