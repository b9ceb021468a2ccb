using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Microsoft.AspNetCore.Components.Authorization;
using Rapport.Modules.Identity.Access;
using Rapport.Modules.Identity.ApiKeys;
using Rapport.Modules.Identity.Invitations;
using Rapport.Modules.Identity.Me;
using Rapport.Modules.Identity.Members;
using Rapport.Modules.Identity.PasswordReset;
using Rapport.Modules.Identity.Roles;
using Rapport.Modules.Identity.Teams;
using Rapport.Modules.Identity.SignIns;
using Rapport.Modules.Identity.SignUp;
using Rapport.Modules.Identity.Tokens;
using Rapport.Modules.Identity.TwoFactor;
using Rapport.Modules.Identity.Users;
using Rapport.Modules.Identity.WorkspaceSettings;

namespace Rapport.Modules.Identity;

/// <summary>
/// Sign-up, sign-in (cookie for the UI, bearer tokens for the API), the current user and the
/// workspace settings. Default deny: every endpoint needs a signed-in member unless it says otherwise.
/// </summary>
public static class IdentityModule
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string SmartScheme = "CookieOrBearer";

    public static IServiceCollection AddIdentityModule(this IServiceCollection services)
    {
        services.AddSingleton<Passwords>();
        services.AddSingleton<Kernel.Demo.IDemoSeeder, Demo.SeedDemoWorkspace>();
        services.AddSingleton<TwoFactorCodes>();
        services.AddHostedService<BuiltInRoleBackfill>();
        services.AddSingleton<SignInTickets>();
        services.AddScoped<AccessControl>();
        services.AddScoped<Contracts.IMemberDirectory, MemberDirectory>();
        services.AddScoped<IAccessControl>(sp => sp.GetRequiredService<AccessControl>());
        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenHandler.SchemeName
                    : CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "rapport.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/account/signin";
                o.LogoutPath = "/account/signout";
                o.ExpireTimeSpan = TimeSpan.FromHours(24); // the server-side session decides idle and absolute timeouts
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = SessionChecks.ValidateCookieAsync; // security stamp, then ActiveMembers
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(RapportClaims.WorkspaceId).Build());
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, CircuitSessionRevalidation>(); // security stamp and active member
        return services;
    }

    /// <summary>API callers get a status code, people get the sign-in page.</summary>
    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static void MapIdentity(this IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("").WithTags("Identity");
        SignUp.SignUp.Map(auth);
        IssueToken.Map(auth);
        RequestPasswordReset.Map(auth);
        ResetPassword.Map(auth);
        GetMe.Map(auth);
        UpdateMe.Map(auth);
        ChangeEmail.Map(auth);
        ListMyWorkspaces.Map(auth);
        AcceptInvitation.Map(auth);
        var twoFactor = api.MapGroup("/me/two-factor").WithTags("Identity");
        GetTwoFactorStatus.Map(twoFactor);
        SetUpTwoFactor.Map(twoFactor);
        EnableTwoFactor.Map(twoFactor);
        DisableTwoFactor.Map(twoFactor);
        var workspace = api.MapGroup("").WithTags("Workspace");
        GetWorkspaceSettings.Map(workspace);
        UpdateWorkspaceSettings.Map(workspace);
        WorkspaceLogo.Map(workspace);
        var members = api.MapGroup("/members").WithTags("Members");
        ListMembers.Map(members);
        ChangeMemberRoles.Map(members);
        SetMemberActive.Map(members);
        ListSignIns.Map(api);
        var keys = api.MapGroup("/api-keys").WithTags("API keys");
        ListApiKeys.Map(keys);
        CreateApiKey.Map(keys);
        RevokeApiKey.Map(keys);
        var invitations = api.MapGroup("/invitations").WithTags("Members");
        InviteMember.Map(invitations);
        ListInvitations.Map(invitations);
        RevokeInvitation.Map(invitations);
        var roles = api.MapGroup("/roles").WithTags("Roles");
        ListRoles.Map(roles);
        CreateRole.Map(roles);
        UpdateRole.Map(roles);
        DeleteRole.Map(roles);
        var teams = api.MapGroup("/teams").WithTags("Teams");
        ListTeams.Map(teams);
        CreateTeam.Map(teams);
        UpdateTeam.Map(teams);
        DeleteTeam.Map(teams);
        ExplainAccess.Map(api);
    }

    /// <summary>Read-scoped API keys may only read; sessions that must set up two-factor sign-in reach only that (runs after authentication).</summary>
    public static IApplicationBuilder UseApiKeyScopes(this IApplicationBuilder app) => app.Use(ActiveMembers.EnforceKeyScopeAsync).Use(TwoFactorGate.EnforceAsync);

    /// <summary>Browser-only account endpoints: sign-out and the language switch.</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/signout", async (HttpContext http) =>
        {
            await Sessions.BrowserSessions.SignOutAsync(http);
            return TypedResults.LocalRedirect("/account/signin");
        }).ExcludeFromDescription();

        app.MapGet("/account/language", async (string culture, string? returnUrl, HttpContext http, Operations operations) =>
        {
            if (!Workspace.SupportedLanguages.Contains(culture))
            {
                return Results.BadRequest();
            }

            SetCultureCookie(http, culture);
            if (http.User.Identity?.IsAuthenticated == true)
            {
                await operations.RunAsync<UpdateMe.Handler, object>(http.User, async h => await h.HandleAsync(new UpdateMe.Request(Language: culture), http.RequestAborted));
            }

            return Results.LocalRedirect(LocalAddress(returnUrl));
        }).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>A page of this site to go back to, escaped for the Location header (non-ASCII addresses would fail there); anything else is the home page.</summary>
    private static string LocalAddress(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && (returnUrl.Length == 1 || returnUrl[1] is not ('/' or '\\'))
        && Uri.TryCreate(LocalBase, returnUrl, out var address) && address.Host == LocalBase.Host
            ? address.PathAndQuery + address.Fragment
            : "/";

    private static readonly Uri LocalBase = new("http://rapport.invalid");

    public static void SetCultureCookie(HttpContext http, string culture) =>
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = false });
}
