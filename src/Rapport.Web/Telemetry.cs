using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Rapport.Web;

/// <summary>OpenTelemetry traces and metrics over OTLP, off unless <c>OpenTelemetry:Enabled</c> is true (endpoint from OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
internal static class Telemetry
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>("OpenTelemetry:Enabled"))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("rapport"))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsql())
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentationIfAny())
            .UseOtlpExporter();
        return services;
    }

    private static MeterProviderBuilder AddRuntimeInstrumentationIfAny(this MeterProviderBuilder builder) => builder.AddMeter("System.Runtime");
}
