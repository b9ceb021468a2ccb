using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>
/// Lists the quotes the caller may read with the filter language, sort and keyset cursor; <c>q</c> searches the number and the
/// deal's name, <c>status</c> narrows to one status; <c>trash=true</c> lists the trash.
/// </summary>
public static class ListQuotes
{
    public const int MaxSearchLength = 100;

    public sealed record Query(ListRequest List, string? Search = null, string? Status = null, bool Trash = false);

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Page<QuoteDto>> HandleAsync(ListRequest request, bool trash, CancellationToken ct) =>
            (await HandleAsync(new Query(request, Trash: trash), ct)).Value!;

        public async Task<Outcome<Page<QuoteDto>>> HandleAsync(Query request, CancellationToken ct)
        {
            if (request.Search is { Length: > MaxSearchLength })
            {
                return Outcome<Page<QuoteDto>>.Invalid("q", $"Search for at most {MaxSearchLength} characters.");
            }

            if (request.Status is { } status && !QuoteStatuses.All.Contains(status))
            {
                return Outcome<Page<QuoteDto>>.Invalid("status", $"Status must be one of: {string.Join(", ", QuoteStatuses.All)}.");
            }

            var query = db.Set<Quote>().AsNoTracking().OfLiveDeals(db);
            if (request.Trash)
            {
                query = query.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(q => q.DeletedAt != null);
            }

            if (request.Status is { } wanted)
            {
                query = query.Where(q => q.Status == wanted);
            }

            if (request.Search?.Trim().ToLowerInvariant() is { Length: > 0 } text)
            {
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), as the list filters do
                query = query.Where(q => q.Number.ToLower().Contains(text) || db.Set<Deal>().Any(d => d.Id == q.DealId && d.Name.ToLower().Contains(text)));
#pragma warning restore CA1304, CA1311, CA1862
            }

            query = await access.ScopeAsync(query, Quote.TypeName, AccessAction.Read, ct);
            var page = await KeysetPager.PageAsync(query, request.List, QuoteCatalog.Fields, request.Trash ? "-deletedAt" : "-createdAt", clock.GetUtcNow(), ct);
            return Outcome<Page<QuoteDto>>.Ok(new Page<QuoteDto>([.. page.Data.Select(QuoteDto.From)], page.NextCursor));
        }
    }

    public static void Map(RouteGroupBuilder quotes) =>
        quotes.MapGet("/", async (string? q, string? status, string? filter, string? sort, int? limit, string? cursor, bool? trash, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(new Query(new ListRequest(filter, sort, limit, cursor), q, status, trash == true), ct)).ToHttp("quote", TypedResults.Ok))
            .WithName("ListQuotes")
            .WithSummary("List quotes")
            .WithDescription("q: part of the number (Q-00042) or of the deal's name, case aside. status: draft, sent, accepted, rejected or expired. " +
                             "filter: a JSON filter tree over dealId, number, revision, currency, status (draft, sent, accepted, rejected, expired), validUntil, " +
                             "total, orderId, revisedById (null for current revisions), ownerId, teamId, sentAt, createdAt, updatedAt. " +
                             "sort: e.g. -total,number (default -createdAt). limit 1–200, cursor from nextCursor. trash=true lists the trash.")
            .Produces<Page<QuoteDto>>()
            .ProducesValidationProblem();
}
