using System.Security.Claims;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.Users;

/// <summary>Builds the claims principal the kernel's <see cref="CurrentUser"/> reads.</summary>
public static class Principals
{
    public static ClaimsPrincipal For(User user, Guid workspaceId, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(RapportClaims.UserId, user.Id.ToString()),
            new Claim(RapportClaims.WorkspaceId, workspaceId.ToString()),
            new Claim(RapportClaims.Email, user.Email),
            new Claim(RapportClaims.DisplayName, user.DisplayName),
            new Claim(RapportClaims.Language, user.Language),
        ], scheme, RapportClaims.DisplayName, ClaimTypes.Role));
}
