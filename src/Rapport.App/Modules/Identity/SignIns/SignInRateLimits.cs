using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Rapport.Modules.Identity.SignIns;

/// <summary>
/// Throttles sign-in, token, sign-up, invitation and reset posts per client address
/// (<c>Rapport:RateLimits:SignInPerMinute</c>, default 10), answering 429 with Retry-After.
/// </summary>
public static class SignInRateLimits
{
    private static readonly string[] Paths = ["/api/v1/auth", "/account/signin", "/account/signup", "/account/invite", "/account/forgot", "/account/reset"];

    public static IServiceCollection AddSignInRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Rapport:RateLimits:SignInPerMinute", 10);
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && Paths.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase))
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("unlimited"));
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem("Too many attempts from your address. Wait a minute and try again.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", type: "https://rapport.dev/problems/rate-limited")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }
}
