using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.Orders;

/// <summary>Moves an order through fulfilment: draft → confirmed → fulfilled, or cancelled from draft or confirmed (If-Match optional).</summary>
public static class ChangeOrderStatus
{
    public sealed record Request(string? Status);

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<OrderDto>> HandleAsync(Guid id, string? status, IfMatch ifMatch, CancellationToken ct)
        {
            if (status is null || !OrderStatuses.All.Contains(status))
            {
                return Outcome<OrderDto>.Invalid("status", $"The status is one of: {string.Join(", ", OrderStatuses.All)}.");
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

            if (order.RefusalToEnter(status) is { } why)
            {
                return Outcome<OrderDto>.Conflict(why, new Dictionary<string, object?> { ["currentStatus"] = order.Status });
            }

            order.MoveTo(status, clock.GetUtcNow());
            return await SalesDocumentRules.SaveAsync(db, () => OrderDto.From(order), ct);
        }
    }

    public static void Map(RouteGroupBuilder orders) =>
        orders.MapPost("/{id:guid}/status", async (Guid id, Request body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body.Status, ETags.ReadIfMatch(http.Request), ct)).ToHttp("order", o =>
                {
                    ETags.Set(http.Response, o.Version);
                    return TypedResults.Ok(o);
                }))
            .WithName("ChangeOrderStatus")
            .WithSummary("Move an order through fulfilment")
            .WithDescription("status: confirmed (from draft), fulfilled (from confirmed) or cancelled (from draft or confirmed); anything else is 409 " +
                             "naming the order's currentStatus. If-Match optional.")
            .Accepts<Request>("application/json")
            .Produces<OrderDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
