using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Tokens;

/// <summary>Exchanges email and password for an API token; the same answer for an unknown email and a wrong password.</summary>
public static class IssueToken
{
    public sealed record Request(string Email, string Password, Guid? WorkspaceId = null);

    public sealed record Response(string Token, DateTimeOffset ExpiresAt, Guid WorkspaceId);

    public sealed class Handler(RapportDbContext db, Passwords passwords, TimeProvider clock)
    {
        /// <summary>Checks the credentials and picks the membership: the one asked for, else the first joined.</summary>
        public async Task<(User User, Guid WorkspaceId)?> AuthenticateAsync(string email, string password, Guid? workspaceId, CancellationToken ct)
        {
            var normalized = User.Normalize(email ?? "");
            var user = await db.Set<User>().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
            if (!passwords.Verify(user, password ?? ""))
            {
                return null;
            }

            var memberships = db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == user!.Id);
            var chosen = await memberships.Where(m => workspaceId == null || m.WorkspaceId == workspaceId)
                .OrderBy(m => m.JoinedAt).Select(m => (Guid?)m.WorkspaceId).FirstOrDefaultAsync(ct);
            if (chosen is null)
            {
                return null;
            }

            await db.SaveChangesAsync(ct); // keeps a rehashed password
            return (user!, chosen.Value);
        }

        public async Task<Response?> HandleAsync(Request request, CancellationToken ct)
        {
            if (await AuthenticateAsync(request.Email, request.Password, request.WorkspaceId, ct) is not { } signedIn)
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
