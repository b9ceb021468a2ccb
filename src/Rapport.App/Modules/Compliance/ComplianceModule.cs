using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Modules.Compliance.Audit;

namespace Rapport.Modules.Compliance;

/// <summary>Audit log today; data-subject export and erasure next.</summary>
public static class ComplianceModule
{
    public static IServiceCollection AddCompliance(this IServiceCollection services) => services;

    public static void MapCompliance(this IEndpointRouteBuilder api) => ListAuditEntries.Map(api);
}
