using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.SalesContracts;

/// <summary>PATCH as a JSON merge patch over a contract's fields (If-Match). A new end date or reminder re-arms the renewal reminder.</summary>
public static class UpdateContract
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public Task<Outcome<ContractDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, current => JsonBody.Merge(current, patch), ct);

        public Task<Outcome<ContractDto>> HandleAsync(Guid id, ContractFields fields, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, _ => Outcome<ContractFields>.Ok(fields), ct);

        private async Task<Outcome<ContractDto>> ChangeAsync(Guid id, IfMatch ifMatch, Func<ContractFields, Outcome<ContractFields>> change, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<ContractDto>.IfMatchRequired();
            }

            var (contract, refusal) = await ContractRules.LoadForAsync(db, access, id, AccessAction.Update, ct);
            if (contract is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != contract.Version)
            {
                return Outcome<ContractDto>.Stale();
            }

            var changed = change(contract.Fields);
            if (!changed.IsOk)
            {
                return changed.As<ContractDto>();
            }

            var fields = changed.Value!;
            if (fields.DealId != contract.DealId || fields.OrderId != contract.OrderId)
            {
                return Outcome<ContractDto>.Invalid(fields.DealId != contract.DealId ? "dealId" : "orderId", "A contract stays with the deal and order it was started from.");
            }

            if (ContractRules.Check(fields) is { Count: > 0 } errors)
            {
                return Outcome<ContractDto>.Invalid(errors);
            }

            if (fields.Status == ContractStatuses.Ended && contract.Status != ContractStatuses.Ended)
            {
                return Outcome<ContractDto>.Invalid("status", "A contract ends by itself when its term is over; cancel it to stop it early.");
            }

            contract.Change(fields);
            return await SalesDocumentRules.SaveAsync(db, () => ContractDto.From(contract), ct);
        }
    }

    public static void Map(RouteGroupBuilder contracts) =>
        contracts.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct)).ToHttp("contract", c =>
                {
                    ETags.Set(http.Response, c.Version);
                    return TypedResults.Ok(c);
                }))
            .WithName("UpdateContract")
            .WithSummary("Change a contract (JSON merge patch, If-Match)")
            .WithDescription("status: cancelled stops it (active brings it back). A new endDate or reminderDays re-arms the renewal reminder.")
            .Accepts<ContractFields>("application/merge-patch+json", "application/json")
            .Produces<ContractDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
