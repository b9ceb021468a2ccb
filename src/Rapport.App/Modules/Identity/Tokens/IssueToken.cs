using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Modules.Identity.SignIns;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Tokens;

/// <summary>Exchanges email and password for an API token; the same answer for an unknown email and a wrong password.</summary>
public static class IssueToken
{
    public sealed record Request(string Email, string Password, Guid? WorkspaceId = null);

    public sealed record Response(string Token, DateTimeOffset ExpiresAt, Guid WorkspaceId);

    public sealed class Handler(RapportDbContext db, Passwords passwords, IHttpContextAccessor http, TimeProvider clock)
    {
        /// <summary>
        /// Checks the credentials and picks the membership: the one asked for, else the first joined.
        /// Five failures in a row lock the sign-in for 15 minutes; every attempt is recorded. Unknown
        /// email, wrong password, lockout and deactivation all answer the same to the caller.
        /// </summary>
        public async Task<(User User, Guid WorkspaceId)?> AuthenticateAsync(string email, string password, Guid? workspaceId, string channel, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var normalized = User.Normalize(email ?? "");
            var user = await db.Set<User>().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
            Guid? chosen = null;
            SignInResult result;
            if (user is null)
            {
                passwords.Verify(null, password ?? "");
                result = SignInResult.UnknownEmail;
            }
            else if (user.IsLockedAt(now))
            {
                result = SignInResult.LockedOut;
            }
            else if (!passwords.Verify(user, password ?? ""))
            {
                user.SignInFailed(now);
                result = SignInResult.WrongPassword;
            }
            else
            {
                var memberships = db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == user.Id && (workspaceId == null || m.WorkspaceId == workspaceId));
                chosen = await memberships.Where(m => m.DeactivatedAt == null).OrderBy(m => m.JoinedAt).Select(m => (Guid?)m.WorkspaceId).FirstOrDefaultAsync(ct);
                result = chosen is not null ? SignInResult.Succeeded
                    : await memberships.AnyAsync(ct) ? SignInResult.Deactivated : SignInResult.NoWorkspace;
                if (chosen is not null)
                {
                    user.SignInSucceeded();
                }
            }

            var request = http.HttpContext?.Request;
            db.Add(SignInAttempt.Record(now, email ?? "", user?.Id, chosen, request?.HttpContext.Connection.RemoteIpAddress?.ToString(),
                request?.Headers.UserAgent.ToString(), result, channel));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A parallel attempt changed the same user's counters: this attempt fails, it does not crash.
                return null;
            }

            return chosen is { } ws ? (user!, ws) : null;
        }

        public async Task<Response?> HandleAsync(Request request, CancellationToken ct)
        {
            if (await AuthenticateAsync(request.Email, request.Password, request.WorkspaceId, "api", ct) is not { } signedIn)
            {
                return null;
            }

            var (token, plain) = AccessToken.Issue(signedIn.User.Id, signedIn.WorkspaceId, clock.GetUtcNow());
            db.Add(token);
            await db.SaveChangesAsync(ct);
            return new Response(plain, token.ExpiresAt, signedIn.WorkspaceId);
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/token", async Task<IResult> (Request request, Handler handler, CancellationToken ct) =>
                await handler.HandleAsync(request, ct) is { } response
                    ? TypedResults.Ok(response)
                    : TypedResults.Problem("The email or password is wrong.", statusCode: StatusCodes.Status401Unauthorized,
                        title: "Sign-in failed", type: Problems.Unauthorized))
            .AllowAnonymous()
            .WithName("IssueToken")
            .WithSummary("Get an API token for email and password")
            .Produces<Response>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
}
