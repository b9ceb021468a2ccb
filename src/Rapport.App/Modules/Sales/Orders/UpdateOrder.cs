using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.Orders;

/// <summary>PATCH as a JSON merge patch over a draft order (If-Match): currency, notes, lines (given lines replace all).</summary>
public static class UpdateOrder
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, LookUpPrice.Handler prices)
    {
        public async Task<Outcome<OrderDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<OrderDto>.IfMatchRequired();
            }

            var (order, refusal) = await OrderRules.LoadForAsync(db, access, id, AccessAction.Update, ct);
            if (order is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != order.Version)
            {
                return Outcome<OrderDto>.Stale();
            }

            if (order.Status != OrderStatuses.Draft)
            {
                return Outcome<OrderDto>.Conflict($"A {order.Status} order's lines are kept as they are; only a draft changes.");
            }

            var changed = JsonBody.Merge(OrderDto.From(order).Fields, patch);
            if (!changed.IsOk)
            {
                return changed.As<OrderDto>();
            }

            if (changed.Value!.DealId != order.DealId)
            {
                return Outcome<OrderDto>.Invalid("dealId", "An order stays on its deal.");
            }

            if (await OrderRules.ApplyAsync(db, prices, order, changed.Value, ct) is { Count: > 0 } errors)
            {
                return Outcome<OrderDto>.Invalid(errors);
            }

            return await SalesDocumentRules.SaveAsync(db, () => OrderDto.From(order), ct);
        }
    }

    public static void Map(RouteGroupBuilder orders) =>
        orders.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct)).ToHttp("order", o =>
                {
                    ETags.Set(http.Response, o.Version);
                    return TypedResults.Ok(o);
                }))
            .WithName("UpdateOrder")
            .WithSummary("Change a draft order (JSON merge patch, If-Match)")
            .WithDescription("Only a draft changes (409 otherwise); lines, when given, replace every line.")
            .Accepts<OrderFields>("application/merge-patch+json", "application/json")
            .Produces<OrderDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
