using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Orders;
using Rapport.Modules.Sales.Quotes;
using Rapport.Modules.Sales.SalesContracts;

namespace Rapport.Modules.Sales;

/// <summary>What follows a deal: quotes (with revisions), the orders accepted quotes become, and contracts with renewal reminders.</summary>
public static class SalesDocumentsSetup
{
    /// <summary>Owned records, like deals: each takes its deal's owner and team, so a rep reaches those of their own deals.</summary>
    public static IServiceCollection AddSalesDocuments(this IServiceCollection services) => services
        .AddAccessEntity<Quote>(Quote.TypeName, "Quotes", "报价单")
        .AddAccessEntity<Order>(Order.TypeName, "Orders", "订单")
        .AddAccessEntity<Contract>(Contract.TypeName, "Contracts", "合同")
        .AddSingleton<SalesDocumentsDaily>()
        .AddHostedService(s => s.GetRequiredService<SalesDocumentsDaily>());

    public static void MapSalesDocuments(this IEndpointRouteBuilder api)
    {
        var quotes = api.MapGroup("/quotes").WithTags("Quotes");
        ListQuotes.Map(quotes);
        CreateQuote.Map(quotes);
        GetQuote.Map(quotes);
        UpdateQuote.Map(quotes);
        DeleteQuote.Map(quotes);
        QuoteTransitions.Map(quotes);

        var orders = api.MapGroup("/orders").WithTags("Orders");
        ListOrders.Map(orders);
        CreateOrder.Map(orders);
        GetOrder.Map(orders);
        UpdateOrder.Map(orders);
        DeleteOrder.Map(orders);
        ChangeOrderStatus.Map(orders);

        var contracts = api.MapGroup("/contracts").WithTags("Contracts");
        ListContracts.Map(contracts);
        CreateContract.Map(contracts);
        GetContract.Map(contracts);
        UpdateContract.Map(contracts);
        DeleteContract.Map(contracts);
    }
}
