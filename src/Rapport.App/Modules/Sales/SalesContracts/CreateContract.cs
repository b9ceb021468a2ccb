using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Orders;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.SalesContracts;

/// <summary>Starts a contract from an order (its deal, total and currency by default) or directly from a deal (its name, amount and currency).</summary>
public static class CreateContract
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access)
    {
        public async Task<Outcome<ContractDto>> HandleAsync(ContractFields fields, CancellationToken ct)
        {
            if (await SalesDocumentRules.RequireCreateAsync<ContractDto>(access, Contract.TypeName, "contracts", ct) is { } refused)
            {
                return refused;
            }

            if (fields.OrderId is { } orderId)
            {
                var orders = await access.ScopeAsync(db.Set<Order>().AsNoTracking(), Order.TypeName, AccessAction.Read, ct);
                if (await orders.SingleOrDefaultAsync(o => o.Id == orderId, ct) is not { } order)
                {
                    return Outcome<ContractDto>.Invalid("orderId", "No order with this id that you may read.");
                }

                if (fields.DealId is { } named && named != order.DealId)
                {
                    return Outcome<ContractDto>.Invalid("dealId", "The order is on another deal; leave dealId out.");
                }

                fields = fields with { DealId = order.DealId, Value = fields.Value ?? order.Total, Currency = fields.Currency ?? order.Currency, Name = fields.Name ?? order.Number };
            }

            if (await SalesDocumentRules.ReadableDealAsync(db, access, fields.DealId, ct) is not { } deal)
            {
                return Outcome<ContractDto>.Invalid(SalesDocumentRules.NoDeal(fields.DealId));
            }

            fields = fields with { Name = fields.Name ?? deal.Name, Value = fields.Value ?? deal.Amount, Currency = fields.Currency ?? deal.Currency };
            if (ContractRules.Check(fields) is { Count: > 0 } errors)
            {
                return Outcome<ContractDto>.Invalid(errors);
            }

            var contract = Contract.Create(currentUser.WorkspaceId!.Value, deal, fields.OrderId, currentUser.UserId);
            contract.Change(fields with { Status = ContractStatuses.Active });
            db.Add(contract);
            return await SalesDocumentRules.SaveAsync(db, () => ContractDto.From(contract), ct);
        }
    }

    public static void Map(RouteGroupBuilder contracts) =>
        contracts.MapPost("/", async (JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<ContractFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<ContractDto>.Invalid(fields.Errors);
                return outcome.ToHttp("contract", c =>
                {
                    ETags.Set(http.Response, c.Version);
                    return TypedResults.Created($"/api/v1/contracts/{c.Id}", c);
                });
            })
            .WithName("CreateContract")
            .WithSummary("Start a contract from an order or a deal")
            .WithDescription("orderId or dealId (one you may read). From an order, name, value and currency default to its number, total and currency; " +
                             "from a deal, to its name, amount and currency. startDate and endDate are required; reminderDays (0–365) makes the renewal " +
                             "reminder fall due that many days before the end; autoRenew renews it for another term of the same length when it ends.")
            .Accepts<ContractFields>("application/json")
            .Produces<ContractDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
