using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.SalesContracts;

/// <summary>Lists the contracts the caller may read with the filter language, sort and keyset cursor; <c>trash=true</c> lists the trash.</summary>
public static class ListContracts
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Page<ContractDto>> HandleAsync(ListRequest request, bool trash, CancellationToken ct)
        {
            var query = db.Set<Contract>().AsNoTracking().OfLiveDeals(db);
            if (trash)
            {
                query = query.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(c => c.DeletedAt != null);
            }

            query = await access.ScopeAsync(query, Contract.TypeName, AccessAction.Read, ct);
            var page = await KeysetPager.PageAsync(query, request, ContractCatalog.Fields, trash ? "-deletedAt" : "-createdAt", clock.GetUtcNow(), ct);
            return new Page<ContractDto>([.. page.Data.Select(ContractDto.From)], page.NextCursor);
        }
    }

    public static void Map(RouteGroupBuilder contracts) =>
        contracts.MapGet("/", async (string? filter, string? sort, int? limit, string? cursor, bool? trash, Handler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new ListRequest(filter, sort, limit, cursor), trash == true, ct)))
            .WithName("ListContracts")
            .WithSummary("List contracts")
            .WithDescription("filter: a JSON filter tree over name, dealId, orderId, startDate, endDate, value, currency, autoRenew, reminderDueOn, " +
                             "remindedAt (set while the renewal reminder is due), status (active, ended, cancelled), ownerId, teamId, createdAt, updatedAt. " +
                             "sort: e.g. endDate (default -createdAt). limit 1–200, cursor from nextCursor. trash=true lists the trash.")
            .Produces<Page<ContractDto>>()
            .ProducesValidationProblem();
}
