using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Kernel.Security.Sharing;
using Rapport.Kernel.Timeline;
using Rapport.Kernel.Views;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Sales.Deals;
using Rapport.Modules.Sales.Leads;
using Rapport.Modules.Sales.Forecasts;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales;

/// <summary>Sales: pipelines with their stages, and deals moving through them (table, record page, kanban board).</summary>
public static class SalesModule
{
    public static IServiceCollection AddSales(this IServiceCollection services) => services
        .AddSingleton<IWorkspaceDefaults, DefaultPipeline>()
        .AddHostedService<DefaultPipelineBackfill>()
        .AddAccessEntity<Deal>(Deal.TypeName, "Deals", "商机", DealRules.RestrictableFields)
        .AddAccessSetting<Pipeline>(Pipeline.TypeName, "Pipelines", "销售管道")
        .AddDealSearch()
        .AddRecordType<DealRecords>()
        .AddRecordTimeline()
        .AddViewSchema<DealViews>()
        .AddScoped<IRecordMergeParticipant, DealLinks>()
        .AddScoped<IPurgeParticipant, DealLinks>()
        .AddScoped<IDealAmountConversion, Currency.ExchangeRateConversion>()
        .AddSingleton<Kernel.Demo.IDemoSeeder, Demo.SeedDemoDeals>()
        .AddSalesLeads()
        .AddSalesForecasts();

    public static void MapSales(this IEndpointRouteBuilder api)
    {
        var pipelines = api.MapGroup("/pipelines").WithTags("Pipelines");
        ListPipelines.Map(pipelines);
        GetPipeline.Map(pipelines);
        CreatePipeline.Map(pipelines);
        UpdatePipeline.Map(pipelines);
        DeletePipeline.Map(pipelines);
        GetDealBoard.Map(pipelines);

        var deals = api.MapGroup("/deals").WithTags("Deals");
        ListDeals.Map(deals);
        CreateDeal.Map(deals);
        GetDeal.Map(deals);
        UpdateDeal.Map(deals);
        DeleteDeal.Map(deals);
        MoveDealToStage.Map(deals);
        GetDealStageHistory.Map(deals);
        RecordSharing.Map<Deal>(deals, Deal.TypeName);
        RecordTimeline.Map(deals, Deal.TypeName);

        api.MapSalesLeads();
        api.MapSalesForecasts();
    }
}
