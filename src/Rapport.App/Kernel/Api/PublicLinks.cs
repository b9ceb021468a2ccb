using Microsoft.Extensions.Configuration;

namespace Rapport.Kernel.Api;

/// <summary>
/// Links sent to people (invitations, password resets) are built on <c>Rapport:PublicBaseUrl</c>,
/// else the first address the server listens on — from configuration, never from the request's
/// Host header, which an attacker controls.
/// </summary>
public static class PublicLinks
{
    public static string To(IConfiguration configuration, string pathAndQuery)
    {
        var baseUrl = configuration["Rapport:PublicBaseUrl"] is { Length: > 0 } configured ? configured
            : configuration["Urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "http://localhost:5080";
        return $"{baseUrl.TrimEnd('/')}/{pathAndQuery.TrimStart('/')}";
    }
}
