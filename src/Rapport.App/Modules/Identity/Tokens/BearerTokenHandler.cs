using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rapport.Kernel.Data;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.ApiKeys;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Tokens;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> with a session token (<c>rpt_…</c>) or an API key
/// (<c>rpk_…</c>) by its hash. Expired or revoked ones, and those of deactivated members, fail.
/// </summary>
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

        var presented = header["Bearer ".Length..].Trim();
        var hash = AccessToken.Hash(presented);
        var now = clock.GetUtcNow();
        var active = db.Memberships.IgnoreQueryFilters().Where(m => m.DeactivatedAt == null);
        if (presented.StartsWith(ApiKey.Prefix, StringComparison.Ordinal))
        {
            var key = await db.Set<ApiKey>()
                .Where(k => k.KeyHash == hash && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)
                            && active.Any(m => m.UserId == k.UserId && m.WorkspaceId == k.WorkspaceId))
                .SingleOrDefaultAsync(Context.RequestAborted);
            var owner = key is null ? null : await db.Set<User>().AsNoTracking().SingleAsync(u => u.Id == key.UserId, Context.RequestAborted);
            if (key is null || owner is null)
            {
                return AuthenticateResult.Fail("The API key is unknown, expired or revoked.");
            }

            if (key.MarkUsed(now))
            {
                await db.SaveChangesAsync(Context.RequestAborted);
            }

            var scope = key.Scope.ToString().ToLowerInvariant();
            return AuthenticateResult.Success(new AuthenticationTicket(Principals.For(owner, key.WorkspaceId, SchemeName, scope), SchemeName));
        }

        var found = await FindSession.For(db)(db, hash, now, Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("The token is unknown, expired or revoked.");
        }

        // The workspace's defaults (and configuration stamp) come with the token: the request reads them no more.
        db.KnowWorkspaceDefaults(new WorkspaceDefaults(found.DefaultCountry, found.Languages, found.Stamp));
        return AuthenticateResult.Success(new AuthenticationTicket(Principals.For(found.User, found.WorkspaceId, SchemeName), SchemeName));
    }

    /// <summary>What a session token signs in as: its member, workspace, and the workspace's defaults and configuration stamp.</summary>
    private sealed record Session(Guid WorkspaceId, User User, string DefaultCountry, List<string> Languages, Guid Stamp);

    /// <summary>
    /// The session of a live token of an active member, in one statement. Compiled once: every API request runs it, and EF Core
    /// otherwise works out this query's shape (and compiles the parts it evaluates) on each of them.
    /// </summary>
    private static readonly CompiledQuery<Func<RapportDbContext, string, DateTimeOffset, CancellationToken, Task<Session?>>> FindSession =
        new(() => EF.CompileAsyncQuery((RapportDbContext db, string hash, DateTimeOffset now, CancellationToken ct) => db.Set<AccessToken>().AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && t.ExpiresAt > now
                        && db.Memberships.IgnoreQueryFilters().Any(m => m.DeactivatedAt == null && m.UserId == t.UserId && m.WorkspaceId == t.WorkspaceId))
            .Join(db.Set<User>(), t => t.UserId, u => u.Id, (t, u) => new { t.WorkspaceId, User = u })
            .Join(db.Workspaces, x => x.WorkspaceId, w => w.Id, (x, w) => new Session(x.WorkspaceId, x.User, w.DefaultCountry, w.Languages,
                db.Set<WorkspaceStamp>().Where(s => s.WorkspaceId == w.Id).Select(s => s.Value).FirstOrDefault()))
            .SingleOrDefault()));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
