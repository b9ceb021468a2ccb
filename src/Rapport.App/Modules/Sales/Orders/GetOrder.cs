using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Orders;

public static class GetOrder
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<OrderDto?> HandleAsync(Guid id, CancellationToken ct) =>
            await (await OrderRules.VisibleAsync(db, access, ct)).SingleOrDefaultAsync(o => o.Id == id, ct) is { } order ? OrderDto.From(order) : null;
    }

    public static void Map(RouteGroupBuilder orders) =>
        orders.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } order)
                {
                    return Problems.NotFoundProblem("order");
                }

                ETags.Set(http.Response, order.Version);
                return TypedResults.Ok(order);
            })
            .WithName("GetOrder")
            .WithSummary("Read an order, with its lines and totals")
            .Produces<OrderDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
