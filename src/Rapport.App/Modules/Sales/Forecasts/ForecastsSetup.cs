using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Quotas;
using Rapport.Modules.Sales.Reports;

namespace Rapport.Modules.Sales.Forecasts;

/// <summary>Quotas, forecasts against them, and the sales reports (pipeline by stage and month, the dashboard's figures).</summary>
public static class ForecastsSetup
{
    public static IServiceCollection AddSalesForecasts(this IServiceCollection services) => services
        // A setting like exchange rates: administrators and sales managers manage quotas; the others read their own (QuotaAccess).
        .AddAccessSetting<Quota>(Quota.TypeName, "Quotas", "销售指标");

    public static void MapSalesForecasts(this IEndpointRouteBuilder api)
    {
        var quotas = api.MapGroup("/quotas").WithTags("Quotas");
        ListQuotas.Map(quotas);
        CreateQuota.Map(quotas);
        GetQuota.Map(quotas);
        UpdateQuota.Map(quotas);
        DeleteQuota.Map(quotas);

        GetForecast.Map(api.MapGroup("/forecasts").WithTags("Forecasts"));

        var reports = api.MapGroup("/reports").WithTags("Reports");
        GetPipelineReport.Map(reports);
        GetSalesDashboard.Map(reports);
    }
}
