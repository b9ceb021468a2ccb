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

/// <summary>An order made directly on a deal, as a draft (an accepted quote makes one too: <see cref="QuoteTransitions"/>).</summary>
public static class CreateOrder
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, LookUpPrice.Handler prices)
    {
        public async Task<Outcome<OrderDto>> HandleAsync(OrderFields fields, CancellationToken ct)
        {
            if (await SalesDocumentRules.RequireCreateAsync<OrderDto>(access, Order.TypeName, "orders", ct) is { } refused)
            {
                return refused;
            }

            if (await SalesDocumentRules.ReadableDealAsync(db, access, fields.DealId, ct) is not { } deal)
            {
                return Outcome<OrderDto>.Invalid(SalesDocumentRules.NoDeal(fields.DealId));
            }

            var order = Order.Create(currentUser.WorkspaceId!.Value, deal, await OrderRules.NextNumberAsync(db, ct), currentUser.UserId);
            if (await OrderRules.ApplyAsync(db, prices, order, fields with { Currency = fields.Currency ?? deal.Currency }, ct) is { Count: > 0 } errors)
            {
                return Outcome<OrderDto>.Invalid(errors);
            }

            db.Add(order);
            return await SalesDocumentRules.SaveAsync(db, () => OrderDto.From(order), ct);
        }
    }

    public static void Map(RouteGroupBuilder orders) =>
        orders.MapPost("/", async (JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<OrderFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<OrderDto>.Invalid(fields.Errors);
                return outcome.ToHttp("order", o =>
                {
                    ETags.Set(http.Response, o.Version);
                    return TypedResults.Created($"/api/v1/orders/{o.Id}", o);
                });
            })
            .WithName("CreateOrder")
            .WithSummary("Create an order directly on a deal")
            .WithDescription("A draft numbered SO-00001…, owned like its deal; lines and prices as a quote's. Accepting a quote (POST /quotes/{id}/accept) " +
                             "makes a confirmed order from it instead. Accepts Idempotency-Key.")
            .Accepts<OrderFields>("application/json")
            .Produces<OrderDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
