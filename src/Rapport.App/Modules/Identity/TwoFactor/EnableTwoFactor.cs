using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.TwoFactor;

/// <summary>
/// Turns two-factor sign-in on with a code from the authenticator just set up, and returns ten
/// one-time recovery codes: shown this once, stored only as hashes.
/// </summary>
public static class EnableTwoFactor
{
    public sealed record Request(string Code);

    public sealed record Response(IReadOnlyList<string> RecoveryCodes);

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, TwoFactorCodes codes, TimeProvider clock, ILogger<Handler> logger)
    {
        public async Task<Outcome<Response>> HandleAsync(Request request, CancellationToken ct)
        {
            var (user, refused) = await TwoFactorAccount.LoadAsync<Response>(db, currentUser, ct);
            if (refused is not null)
            {
                return refused;
            }

            if (user!.HasTwoFactor)
            {
                return Outcome<Response>.Conflict("Two-factor sign-in is already on.");
            }

            if (user.PendingTwoFactorSecret is not { } pending)
            {
                return Outcome<Response>.Conflict("Set up an authenticator first: POST /api/v1/me/two-factor/setup.");
            }

            if (string.IsNullOrWhiteSpace(request.Code) || codes.MatchTotp(pending, request.Code) is not { } step)
            {
                return Outcome<Response>.Invalid("code", "The code is wrong or expired. Enter the current 6-digit code from your authenticator app.");
            }

            var (recoveryCodes, hashes) = TwoFactorCodes.NewRecoveryCodes();
            user.EnableTwoFactor(clock.GetUtcNow(), step, hashes);
            if (await TwoFactorAccount.TrySaveAsync<Response>(db, ct) is { } conflict)
            {
                return conflict;
            }

            logger.LogInformation("Two-factor sign-in turned on for user {UserId}", user.Id);
            return Outcome<Response>.Ok(new Response(recoveryCodes));
        }
    }

    public static void Map(IEndpointRouteBuilder twoFactor) =>
        twoFactor.MapPost("/enable", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("user", TypedResults.Ok))
            .WithName("EnableTwoFactor")
            .WithSummary("Turn two-factor sign-in on with a code from your authenticator")
            .WithDescription("Returns 10 one-time recovery codes. They are shown only this once: keep them somewhere safe.")
            .Produces<Response>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
