using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.Orders;

/// <summary>Lists the orders the caller may read with the filter language, sort and keyset cursor; <c>trash=true</c> lists the trash.</summary>
public static class ListOrders
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Page<OrderDto>> HandleAsync(ListRequest request, bool trash, CancellationToken ct)
        {
            var query = db.Set<Order>().AsNoTracking().OfLiveDeals(db);
            if (trash)
            {
                query = query.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(o => o.DeletedAt != null);
            }

            query = await access.ScopeAsync(query, Order.TypeName, AccessAction.Read, ct);
            var page = await KeysetPager.PageAsync(query, request, OrderRules.Fields, trash ? "-deletedAt" : "-createdAt", clock.GetUtcNow(), ct);
            return new Page<OrderDto>([.. page.Data.Select(OrderDto.From)], page.NextCursor);
        }
    }

    public static void Map(RouteGroupBuilder orders) =>
        orders.MapGet("/", async (string? filter, string? sort, int? limit, string? cursor, bool? trash, Handler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new ListRequest(filter, sort, limit, cursor), trash == true, ct)))
            .WithName("ListOrders")
            .WithSummary("List orders")
            .WithDescription("filter: a JSON filter tree over dealId, quoteId, number, currency, status (draft, confirmed, fulfilled, cancelled), total, " +
                             "ownerId, teamId, confirmedAt, fulfilledAt, createdAt, updatedAt. sort: e.g. -total (default -createdAt). limit 1–200, " +
                             "cursor from nextCursor. trash=true lists the trash.")
            .Produces<Page<OrderDto>>()
            .ProducesValidationProblem();
}
