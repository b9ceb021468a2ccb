using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Rapport.Kernel.Api;

/// <summary>Strong ETags from a record's version, and the If-Match precondition.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    /// <summary>Reads If-Match: <c>Missing</c>, <c>Any</c> (<c>*</c>), or the version it names (0 when unparseable, which never matches).</summary>
    public static IfMatch ReadIfMatch(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0)
        {
            return IfMatch.Missing;
        }

        if (value == "*")
        {
            return IfMatch.Any;
        }

        var first = value.Split(',')[0].Trim();
        if (first.StartsWith("W/", StringComparison.Ordinal))
        {
            first = first[2..];
        }

        return new IfMatch(true, int.TryParse(first.Trim('"'), out var version) ? version : 0);
    }

    public static void Set(HttpResponse response, int version) => response.Headers[HeaderNames.ETag] = For(version);
}

/// <param name="Present">Whether the header was sent.</param>
/// <param name="Version">The version it names; null for <c>*</c>.</param>
public readonly record struct IfMatch(bool Present, int? Version)
{
    public static IfMatch Missing => new(false, null);
    public static IfMatch Any => new(true, null);
}
