using Microsoft.AspNetCore.Http;

namespace Rapport.Modules.Identity.TwoFactor;

/// <summary>
/// When the workspace requires two-factor sign-in and a browser session's person has none, the
/// session may only reach the set-up page (and their own account API): pages redirect to
/// <c>/account/two-factor</c>, other API calls answer 403 with the set-up-required problem.
/// Session tokens issued before the requirement and API keys are not gated; new tokens are refused.
/// </summary>
public static class TwoFactorGate
{
    public const string SetupPath = "/account/two-factor";
    private static readonly object Key = new();

    /// <summary>Called by the cookie validation for a session that must set up two-factor sign-in first.</summary>
    public static void MarkSetupRequired(HttpContext context) => context.Items[Key] = true;

    public static bool IsSetupRequired(HttpContext context) => context.Items.ContainsKey(Key);

    /// <summary>Middleware, after authentication.</summary>
    public static async Task EnforceAsync(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path;
        if (!IsSetupRequired(context) || IsAllowed(path))
        {
            await next();
            return;
        }

        if (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            await TypedResults.Problem("Your workspace requires two-factor sign-in. Set it up first: POST /api/v1/me/two-factor/setup, or open " + SetupPath + ".",
                statusCode: StatusCodes.Status403Forbidden, title: "Two-factor set-up required", type: TwoFactorProblems.SetupRequired).ExecuteAsync(context);
            return;
        }

        context.Response.Redirect(SetupPath);
    }

    private static bool IsAllowed(PathString path) =>
        path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/v1/me", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/v1/auth", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || Path.HasExtension(path.Value); // static files: styles, scripts, icons
}
