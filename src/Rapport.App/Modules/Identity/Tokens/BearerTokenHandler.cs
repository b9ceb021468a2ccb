using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rapport.Kernel.Data;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Tokens;

/// <summary>Authenticates <c>Authorization: Bearer rpt_…</c> by the token's hash; expired or revoked tokens fail.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, RapportDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var hash = AccessToken.Hash(header["Bearer ".Length..].Trim());
        var now = clock.GetUtcNow();
        var found = await db.Set<AccessToken>().AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && t.ExpiresAt > now)
            .Join(db.Set<User>(), t => t.UserId, u => u.Id, (t, u) => new { t.WorkspaceId, User = u })
            .SingleOrDefaultAsync(Context.RequestAborted);
        return found is null
            ? AuthenticateResult.Fail("The token is unknown, expired or revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(Principals.For(found.User, found.WorkspaceId, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
