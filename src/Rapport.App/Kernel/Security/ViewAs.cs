using System.Security.Claims;

namespace Rapport.Kernel.Security;

/// <summary>
/// "View as": an administrator sees a list exactly as a member would, by running the list's read
/// handler as that member. Pages offer it only to administrators and never write with it.
/// </summary>
public static class ViewAs
{
    public const string AuthenticationType = "view-as";

    public static ClaimsPrincipal Member(Guid userId, Guid workspaceId) =>
        new(new ClaimsIdentity(
        [
            new Claim(RapportClaims.UserId, userId.ToString()),
            new Claim(RapportClaims.WorkspaceId, workspaceId.ToString()),
        ], AuthenticationType));
}
