using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.TwoFactor;

/// <summary>
/// Starts two-factor set-up: a new TOTP secret, as text, otpauth URI and QR code for an authenticator
/// app. Nothing changes at sign-in until <see cref="EnableTwoFactor"/> confirms it with a code.
/// </summary>
public static class SetUpTwoFactor
{
    public sealed record Request(string Password);

    /// <param name="Secret">Base32, for typing into an authenticator app.</param>
    /// <param name="OtpAuthUri">The <c>otpauth://totp/…</c> URI the QR code holds.</param>
    /// <param name="QrCode">The QR code as a PNG data URI.</param>
    public sealed record Response(string Secret, string OtpAuthUri, string QrCode);

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, Passwords passwords, TwoFactorCodes codes, TimeProvider clock)
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
                return Outcome<Response>.Conflict("Two-factor sign-in is already on. Turn it off first to set up another authenticator.");
            }

            if (await TwoFactorAccount.CheckPasswordAsync<Response>(db, passwords, user, request.Password, clock.GetUtcNow(), ct) is { } wrong)
            {
                return wrong;
            }

            var (secret, protectedSecret) = codes.NewSecret();
            user.BeginTwoFactorSetup(protectedSecret);
            if (await TwoFactorAccount.TrySaveAsync<Response>(db, ct) is { } conflict)
            {
                return conflict;
            }

            var uri = TwoFactorCodes.OtpAuthUri(user.Email, secret);
            return Outcome<Response>.Ok(new Response(secret, uri, TwoFactorCodes.QrCodeDataUri(uri)));
        }
    }

    public static void Map(IEndpointRouteBuilder twoFactor) =>
        twoFactor.MapPost("/setup", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("user", TypedResults.Ok))
            .WithName("SetUpTwoFactor")
            .WithSummary("Start setting up two-factor sign-in (TOTP) for yourself")
            .WithDescription("Needs your password. Returns a new secret, its otpauth URI and a QR code; confirm with POST /api/v1/me/two-factor/enable. Not with API keys.")
            .Produces<Response>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
