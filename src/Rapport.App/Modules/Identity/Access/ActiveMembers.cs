using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.Access;

/// <summary>
/// Ends the sessions of deactivated members: the cookie is checked on every request, open Blazor
/// circuits every few seconds, and read-only API keys may only read.
/// </summary>
public static class ActiveMembers
{
    /// <summary>The member is active and, for a browser, their session is alive (<paramref name="touch"/> records activity).</summary>
    public static async Task<bool> IsActiveAsync(IServiceProvider services, ClaimsPrincipal principal, bool touch, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(RapportClaims.UserId), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(RapportClaims.WorkspaceId), out var workspaceId))
        {
            return false;
        }

        var db = services.GetRequiredService<RapportDbContext>();
        return await db.Memberships.IgnoreQueryFilters()
                   .AnyAsync(m => m.UserId == userId && m.WorkspaceId == workspaceId && m.DeactivatedAt == null, ct)
               && await Sessions.BrowserSessions.IsAliveAsync(services, principal, touch, ct);
    }

    /// <summary>Cookie event: a deactivated member's cookie is rejected and removed.</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null || !await IsActiveAsync(context.HttpContext.RequestServices, context.Principal, touch: true, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
        }
    }

    /// <summary>A read-scoped API key may only read, whatever the endpoint.</summary>
    public static async Task EnforceKeyScopeAsync(HttpContext context, Func<Task> next)
    {
        if (context.User.FindFirstValue(RapportClaims.ApiKeyScope) == "read"
            && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await Problems.ForbiddenProblem("This API key has the read scope: it can only read.").ExecuteAsync(context);
            return;
        }

        await next();
    }
}
