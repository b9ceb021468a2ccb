using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Access;
using Rapport.Modules.Identity.TwoFactor;

namespace Rapport.Modules.Identity.Users;

/// <summary>
/// Ends browser sessions whose security stamp is outdated (the password was reset since they
/// signed in), marks sessions that must set up two-factor sign-in first (see <see cref="TwoFactorGate"/>),
/// then applies the member checks of <see cref="ActiveMembers"/>. Runs for the cookie on every
/// request and for open Blazor circuits every few seconds.
/// </summary>
public static class SessionChecks
{
    private sealed record SessionState(string SecurityStamp, bool HasTwoFactor, bool WorkspaceRequiresTwoFactor);

    private static async Task<SessionState?> ReadAsync(IServiceProvider services, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(RapportClaims.UserId), out var userId))
        {
            return null;
        }

        var workspaceId = Guid.TryParse(principal.FindFirstValue(RapportClaims.WorkspaceId), out var w) ? w : Guid.Empty;
        var db = services.GetRequiredService<RapportDbContext>();
        return await db.Set<User>().AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new SessionState(u.SecurityStamp, u.TwoFactorEnabledAt != null,
                db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.RequireTwoFactor).FirstOrDefault()))
            .SingleOrDefaultAsync(ct);
    }

    // Cookies issued before stamps existed carry none; they match the empty stamp of accounts of that time.
    private static bool Matches(SessionState? state, ClaimsPrincipal principal) =>
        state is not null && state.SecurityStamp == (principal.FindFirstValue(Principals.SecurityStampClaim) ?? "");

    /// <summary>True when the principal's user exists and its stamp is the one the principal was issued with.</summary>
    public static async Task<bool> IsCurrentAsync(IServiceProvider services, ClaimsPrincipal principal, CancellationToken ct) =>
        Matches(await ReadAsync(services, principal, ct), principal);

    /// <summary>Cookie event: an outdated cookie is rejected and removed; otherwise the member checks run.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is { } principal)
        {
            var state = await ReadAsync(context.HttpContext.RequestServices, principal, context.HttpContext.RequestAborted);
            if (!Matches(state, principal))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(context.Scheme.Name);
                return;
            }

            if (state!.WorkspaceRequiresTwoFactor && !state.HasTwoFactor)
            {
                TwoFactorGate.MarkSetupRequired(context.HttpContext);
            }
        }

        await ActiveMembers.ValidateCookieAsync(context);
    }
}

/// <summary>Re-checks a circuit's member and security stamp every few seconds; a failing circuit becomes signed-out.</summary>
public sealed class CircuitSessionRevalidation(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(5);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await SessionChecks.IsCurrentAsync(scope.ServiceProvider, authenticationState.User, cancellationToken)
               && await ActiveMembers.IsActiveAsync(scope.ServiceProvider, authenticationState.User, touch: false, cancellationToken);
    }
}
