using System.Security.Claims;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.Users;

/// <summary>Builds the claims principal the kernel's <see cref="CurrentUser"/> reads.</summary>
public static class Principals
{
    /// <summary>The user's <see cref="User.SecurityStamp"/> when the principal was issued; see <see cref="SessionChecks"/>.</summary>
    public const string SecurityStampClaim = "rapport:stamp";

    public static ClaimsPrincipal For(User user, Guid workspaceId, string scheme, string? apiKeyScope = null)
    {
        var claims = new List<Claim>
        {
            new(RapportClaims.UserId, user.Id.ToString()),
            new(RapportClaims.WorkspaceId, workspaceId.ToString()),
            new(RapportClaims.Email, user.Email),
            new(RapportClaims.DisplayName, user.DisplayName),
            new(RapportClaims.Language, user.Language),
            new(SecurityStampClaim, user.SecurityStamp),
        };
        if (apiKeyScope is not null)
        {
            claims.Add(new Claim(RapportClaims.ApiKeyScope, apiKeyScope));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, RapportClaims.DisplayName, ClaimTypes.Role));
    }
}
