using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.Orders;

/// <summary>Moves an order to the trash (If-Match) or brings it back (<c>restore</c>, restorable for 30 days).</summary>
public static class DeleteOrder
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public Task<Outcome<OrderDto>> HandleAsync(Guid id, IfMatch ifMatch, bool restore, CancellationToken ct) =>
            SalesDocumentRules.TrashAsync<Order, OrderDto>(db, access, currentUser.UserId, clock.GetUtcNow(), Order.TypeName, id, ifMatch, restore, OrderDto.From, ct);
    }

    public static void Map(RouteGroupBuilder orders) =>
        SalesDocumentRules.MapTrash<OrderDto>(orders, Order.TypeName, "Order",
            (id, restore, ifMatch, services, ct) => services.GetRequiredService<Handler>().HandleAsync(id, ifMatch, restore, ct), o => o.Version);
}
