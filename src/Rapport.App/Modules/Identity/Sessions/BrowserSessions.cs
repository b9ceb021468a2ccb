using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Data;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Sessions;

/// <summary>
/// Signs people in and out of the browser with a server-side session: idle timeout
/// (<c>Rapport:Sessions:IdleMinutes</c>, default 120) and absolute timeout
/// (<c>Rapport:Sessions:AbsoluteHours</c>, default 24).
/// </summary>
public static class BrowserSessions
{
    public const string Claim = "rapport:session";

    public static TimeSpan Idle(IConfiguration configuration) => TimeSpan.FromMinutes(configuration.GetValue("Rapport:Sessions:IdleMinutes", 120));

    public static TimeSpan Absolute(IConfiguration configuration) => TimeSpan.FromHours(configuration.GetValue("Rapport:Sessions:AbsoluteHours", 24));

    /// <summary>Starts a new session (a new id, whatever cookie came before) and sets the sign-in cookie.</summary>
    public static async Task SignInAsync(HttpContext http, User user, Guid workspaceId)
    {
        var db = http.RequestServices.GetRequiredService<RapportDbContext>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        await EndAsync(http); // a sign-in never reuses the session the browser had
        var session = BrowserSession.Start(user.Id, workspaceId, clock.GetUtcNow(), http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());
        db.Add(session);
        await db.SaveChangesAsync(http.RequestAborted);

        var principal = Principals.For(user, workspaceId, IdentityModule.CookieScheme);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(Claim, session.Id.ToString()));
        await http.SignInAsync(IdentityModule.CookieScheme, principal);
        IdentityModule.SetCultureCookie(http, user.Language);
    }

    /// <summary>Ends the browser's session on the server and removes the cookie.</summary>
    public static async Task SignOutAsync(HttpContext http)
    {
        await EndAsync(http);
        await http.SignOutAsync(IdentityModule.CookieScheme);
    }

    private static async Task EndAsync(HttpContext http)
    {
        if (!Guid.TryParse(http.User.FindFirstValue(Claim), out var id))
        {
            return;
        }

        var db = http.RequestServices.GetRequiredService<RapportDbContext>();
        var session = await db.Set<BrowserSession>().SingleOrDefaultAsync(s => s.Id == id, http.RequestAborted);
        session?.End(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        await db.SaveChangesAsync(http.RequestAborted);
    }

    /// <summary>Whether the principal's session is still alive; records activity for the idle timeout.</summary>
    public static async Task<bool> IsAliveAsync(IServiceProvider services, ClaimsPrincipal principal, bool touch, CancellationToken ct)
    {
        if (principal.Identity?.AuthenticationType != IdentityModule.CookieScheme)
        {
            return true; // bearer tokens and API keys have their own expiry and revocation
        }

        if (!Guid.TryParse(principal.FindFirstValue(Claim), out var id))
        {
            return false;
        }

        var db = services.GetRequiredService<RapportDbContext>();
        var configuration = services.GetRequiredService<IConfiguration>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var session = await db.Set<BrowserSession>().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (session is null || !session.IsAliveAt(now, Idle(configuration), Absolute(configuration)))
        {
            return false;
        }

        if (touch && session.Touch(now))
        {
            await db.SaveChangesAsync(ct);
        }

        return true;
    }
}
