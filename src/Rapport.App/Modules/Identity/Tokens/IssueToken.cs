using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Modules.Identity.SignIns;
using Rapport.Modules.Identity.TwoFactor;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Tokens;

/// <summary>
/// Exchanges email and password (and, with two-factor sign-in, a code) for an API token; the same
/// answer for an unknown email, a wrong password and a wrong code.
/// </summary>
public static class IssueToken
{
    /// <param name="Otp">With two-factor sign-in: a current code from the authenticator, or a recovery code.</param>
    public sealed record Request(string Email, string Password, Guid? WorkspaceId = null, string? Otp = null);

    public sealed record Response(string Token, DateTimeOffset ExpiresAt, Guid WorkspaceId);

    public enum SignInStatus { Failed, Succeeded, OtpRequired, TwoFactorSetupRequired }

    /// <summary>How a sign-in check ended; <see cref="User"/> is set unless it <see cref="SignInStatus.Failed"/>.</summary>
    public sealed record SignInCheck(SignInStatus Status, User? User, Guid WorkspaceId)
    {
        public static readonly SignInCheck Failed = new(SignInStatus.Failed, null, Guid.Empty);

        /// <summary>Signed in: fully, or pending the two-factor set-up the workspace requires.</summary>
        public bool SignedIn => Status is SignInStatus.Succeeded or SignInStatus.TwoFactorSetupRequired;
    }

    public sealed class Handler(RapportDbContext db, Passwords passwords, TwoFactorCodes twoFactor, IHttpContextAccessor http, TimeProvider clock)
    {
        /// <summary>
        /// Checks the credentials and picks the membership: the one asked for, else the first joined.
        /// Five failures in a row (wrong passwords or wrong codes) lock the sign-in for 15 minutes;
        /// every attempt is recorded. Unknown email, wrong password, wrong code, lockout and
        /// deactivation all answer the same to the caller. A person with two-factor sign-in needs
        /// <paramref name="otp"/>: without it the answer is <see cref="SignInStatus.OtpRequired"/>.
        /// </summary>
        public async Task<SignInCheck> CheckAsync(string email, string password, string? otp, Guid? workspaceId, string channel, CancellationToken ct)
        {
            var normalized = User.Normalize(email ?? "");
            var user = await db.Set<User>().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
            if (user is null)
            {
                passwords.Verify(null, password ?? "");
            }

            return await FinishAsync(email ?? "", user, u => passwords.Verify(u, password ?? ""), SignInResult.WrongPassword, otp, workspaceId, channel, ct);
        }

        /// <summary>
        /// The second step of a browser sign-in: the first step's password check is vouched for by a
        /// ticket naming the user and their security stamp (see <see cref="SignInTickets"/>).
        /// </summary>
        public async Task<SignInCheck> CheckSecondStepAsync(Guid userId, string securityStamp, string otp, string channel, CancellationToken ct)
        {
            var user = await db.Set<User>().SingleOrDefaultAsync(u => u.Id == userId, ct);
            return user is null
                ? SignInCheck.Failed
                : await FinishAsync(user.Email, user, u => u.SecurityStamp == securityStamp, SignInResult.WrongPassword, otp, null, channel, ct);
        }

        /// <summary>Signs in with email and password alone; null when that is not enough (a second factor is needed).</summary>
        public async Task<(User User, Guid WorkspaceId)?> AuthenticateAsync(string email, string password, Guid? workspaceId, string channel, CancellationToken ct) =>
            await CheckAsync(email, password, null, workspaceId, channel, ct) is { SignedIn: true } check ? (check.User!, check.WorkspaceId) : null;

        private async Task<SignInCheck> FinishAsync(
            string email, User? user, Func<User, bool> firstFactor, SignInResult firstFactorFailure, string? otp, Guid? workspaceId, string channel, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            Guid? chosen = null;
            var status = SignInStatus.Failed;
            SignInResult result;
            if (user is null)
            {
                result = SignInResult.UnknownEmail;
            }
            else if (user.IsLockedAt(now))
            {
                result = SignInResult.LockedOut;
            }
            else if (!firstFactor(user))
            {
                user.SignInFailed(now);
                result = firstFactorFailure;
            }
            else
            {
                var memberships = db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == user.Id && (workspaceId == null || m.WorkspaceId == workspaceId));
                chosen = await memberships.Where(m => m.DeactivatedAt == null).OrderBy(m => m.JoinedAt).Select(m => (Guid?)m.WorkspaceId).FirstOrDefaultAsync(ct);
                result = chosen is not null ? SignInResult.Succeeded
                    : await memberships.AnyAsync(ct) ? SignInResult.Deactivated : SignInResult.NoWorkspace;
                if (chosen is { } ws)
                {
                    (status, result) = await SecondFactorAsync(user, ws, otp, channel, now, ct);
                }
            }

            var request = http.HttpContext?.Request;
            db.Add(SignInAttempt.Record(now, email, user?.Id, chosen, request?.HttpContext.Connection.RemoteIpAddress?.ToString(),
                request?.Headers.UserAgent.ToString(), result, channel));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A parallel attempt changed the same user's counters (or used the same code): this attempt fails, it does not crash.
                return SignInCheck.Failed;
            }

            return status == SignInStatus.Failed ? SignInCheck.Failed : new SignInCheck(status, user, chosen!.Value);
        }

        private async Task<(SignInStatus, SignInResult)> SecondFactorAsync(User user, Guid workspaceId, string? otp, string channel, DateTimeOffset now, CancellationToken ct)
        {
            if (user.HasTwoFactor)
            {
                if (string.IsNullOrWhiteSpace(otp))
                {
                    return (SignInStatus.OtpRequired, SignInResult.OtpRequired);
                }

                if (!twoFactor.TryUse(user, otp))
                {
                    user.SignInFailed(now);
                    return (SignInStatus.Failed, SignInResult.WrongOtp);
                }

                user.SignInSucceeded();
                return (SignInStatus.Succeeded, SignInResult.Succeeded);
            }

            user.SignInSucceeded();
            var required = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.RequireTwoFactor).SingleAsync(ct);
            return !required ? (SignInStatus.Succeeded, SignInResult.Succeeded)
                // The browser signs in and is sent to set it up; the API has no such page.
                : channel == "api" ? (SignInStatus.TwoFactorSetupRequired, SignInResult.NeedsTwoFactor)
                : (SignInStatus.TwoFactorSetupRequired, SignInResult.Succeeded);
        }

        public async Task<SignInCheck> HandleAsync(Request request, CancellationToken ct) =>
            await CheckAsync(request.Email, request.Password, request.Otp, request.WorkspaceId, "api", ct);

        /// <summary>Issues the API token for a successful check.</summary>
        public async Task<Response> IssueAsync(SignInCheck check, CancellationToken ct)
        {
            var (token, plain) = AccessToken.Issue(check.User!.Id, check.WorkspaceId, clock.GetUtcNow());
            db.Add(token);
            await db.SaveChangesAsync(ct);
            return new Response(plain, token.ExpiresAt, check.WorkspaceId);
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/token", async Task<IResult> (Request request, Handler handler, CancellationToken ct) =>
                await handler.HandleAsync(request, ct) switch
                {
                    { Status: SignInStatus.Succeeded } check => TypedResults.Ok(await handler.IssueAsync(check, ct)),
                    { Status: SignInStatus.OtpRequired } => TypedResults.Problem(
                        "Two-factor sign-in is on for this account: send the current code from your authenticator app, or a recovery code, as otp.",
                        statusCode: StatusCodes.Status401Unauthorized, title: "Code required", type: TwoFactorProblems.OtpRequired,
                        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["otp"] = ["Enter the code from your authenticator app."] } }),
                    { Status: SignInStatus.TwoFactorSetupRequired } => TypedResults.Problem(
                        "Your workspace requires two-factor sign-in. Sign in with a browser to set it up, then ask for a token again.",
                        statusCode: StatusCodes.Status403Forbidden, title: "Two-factor set-up required", type: TwoFactorProblems.SetupRequired),
                    _ => TypedResults.Problem("The email or password is wrong.", statusCode: StatusCodes.Status401Unauthorized,
                        title: "Sign-in failed", type: Problems.Unauthorized),
                })
            .AllowAnonymous()
            .WithName("IssueToken")
            .WithSummary("Get an API token for email and password (and a two-factor code when it is on)")
            .WithDescription("With two-factor sign-in, a request without otp answers 401 of type https://rapport.dev/problems/otp-required; a wrong code answers like a wrong password. " +
                             "When the workspace requires two-factor sign-in and the account has none, the answer is 403 of type https://rapport.dev/problems/two-factor-setup-required.")
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
