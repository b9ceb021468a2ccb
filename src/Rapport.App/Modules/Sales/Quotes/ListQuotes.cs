using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>Lists the quotes the caller may read with the filter language, sort and keyset cursor; <c>trash=true</c> lists the trash.</summary>
public static class ListQuotes
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Page<QuoteDto>> HandleAsync(ListRequest request, bool trash, CancellationToken ct)
        {
            var query = db.Set<Quote>().AsNoTracking();
            if (trash)
            {
                query = query.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(q => q.DeletedAt != null);
            }

            query = await access.ScopeAsync(query, Quote.TypeName, AccessAction.Read, ct);
            var page = await KeysetPager.PageAsync(query, request, QuoteCatalog.Fields, trash ? "-deletedAt" : "-createdAt", clock.GetUtcNow(), ct);
            return new Page<QuoteDto>([.. page.Data.Select(QuoteDto.From)], page.NextCursor);
        }
    }

    public static void Map(RouteGroupBuilder quotes) =>
        quotes.MapGet("/", async (string? filter, string? sort, int? limit, string? cursor, bool? trash, Handler handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(new ListRequest(filter, sort, limit, cursor), trash == true, ct)))
            .WithName("ListQuotes")
            .WithSummary("List quotes")
            .WithDescription("filter: a JSON filter tree over dealId, number, revision, currency, status (draft, sent, accepted, rejected, expired), validUntil, " +
                             "total, orderId, revisedById (null for current revisions), ownerId, teamId, sentAt, createdAt, updatedAt. " +
                             "sort: e.g. -total,number (default -createdAt). limit 1–200, cursor from nextCursor. trash=true lists the trash.")
            .Produces<Page<QuoteDto>>()
            .ProducesValidationProblem();
}
