using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rapport.Kernel.Filtering;

namespace Rapport.Kernel.Api;

/// <summary>
/// Every error is problem+json with a stable type and the request's trace id; filter mistakes and
/// unreadable requests are 400s naming the field; stack traces only in Development.
/// </summary>
public static class ApiErrors
{
    public static IServiceCollection AddApiErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToHexString() ?? c.HttpContext.TraceIdentifier;
            c.ProblemDetails.Extensions["requestId"] = c.HttpContext.TraceIdentifier;
            if (c.ProblemDetails.Status == StatusCodes.Status500InternalServerError)
            {
                c.ProblemDetails.Type = Problems.Server;
                c.ProblemDetails.Detail = "Something went wrong on our side. Quote the trace id when you report it.";
                if (!c.HttpContext.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment())
                {
                    c.ProblemDetails.Extensions.Remove("exception");
                }
            }
        });
        services.AddExceptionHandler<BadRequestHandler>();
        return services;
    }

    private sealed class BadRequestHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var result = exception switch
            {
                FilterException f => Problems.Invalid(f.Field, f.Message),
                BadHttpRequestException b when b.StatusCode == StatusCodes.Status400BadRequest => Problems.Invalid("request", Describe(b)),
                _ => null,
            };
            if (result is null)
            {
                return false;
            }

            await result.ExecuteAsync(context);
            return true;
        }

        private static string Describe(BadHttpRequestException e) =>
            e.InnerException is System.Text.Json.JsonException ? "The body is not valid JSON." : e.Message;
    }
}
