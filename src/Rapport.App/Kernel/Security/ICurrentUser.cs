using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Rapport.Kernel.Security;

/// <summary>Who is acting, in which workspace. Implemented from the request's or circuit's principal.</summary>
public interface ICurrentUser
{
    Guid? UserId { get; }
    Guid? WorkspaceId { get; }
    /// <summary>The scope of the API key the request came with (read, write, admin), or null for a session.</summary>
    string? ApiKeyScope => null;
    bool IsAuthenticated => UserId is not null && WorkspaceId is not null;
}

public static class RapportClaims
{
    public const string UserId = "rapport:user";
    public const string WorkspaceId = "rapport:workspace";
    public const string Language = "rapport:lang";
    public const string ApiKeyScope = "rapport:key-scope";
    public const string DisplayName = ClaimTypes.Name;
    public const string Email = ClaimTypes.Email;
}

/// <summary>
/// Scoped current user. Reads the HTTP request's principal, unless a Blazor operation or a
/// background job set one for its own scope with <see cref="Use"/> or <see cref="ActAsSystem"/>.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http) : ICurrentUser
{
    private ClaimsPrincipal? _principal;
    private Guid? _systemWorkspace;

    public void Use(ClaimsPrincipal principal) => _principal = principal;

    /// <summary>Kernel jobs act in a workspace without a user (audit rows carry no user).</summary>
    public void ActAsSystem(Guid workspaceId) => _systemWorkspace = workspaceId;

    private ClaimsPrincipal? Principal => _principal ?? http.HttpContext?.User;

    public Guid? UserId => _systemWorkspace is null ? Read(RapportClaims.UserId) : null;

    public Guid? WorkspaceId => _systemWorkspace ?? Read(RapportClaims.WorkspaceId);

    public bool IsSystem => _systemWorkspace is not null;

    public string? ApiKeyScope => Principal?.FindFirstValue(RapportClaims.ApiKeyScope);

    private Guid? Read(string type) =>
        Principal?.Identity?.IsAuthenticated == true && Guid.TryParse(Principal.FindFirstValue(type), out var id) ? id : null;
}
