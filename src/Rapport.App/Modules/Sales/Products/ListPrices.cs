using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>The prices of one book (of products not in the trash), keyset-paged, optionally for one product or currency.</summary>
public static class ListPrices
{
    public static readonly FieldCatalog<ProductPrice> Fields = new FieldCatalog<ProductPrice>()
        .Id("productId", p => p.ProductId)
        .Text("currency", p => p.Currency)
        .Number("unitPrice", p => p.UnitPrice)
        .Instant("updatedAt", p => p.UpdatedAt);

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<Page<PriceDto>>> HandleAsync(Guid bookId, Guid? productId, string? currency, ListRequest request, CancellationToken ct)
        {
            var (book, refusal) = await PriceAccess.LoadBookAsync<Page<PriceDto>>(db, access, bookId, AccessAction.Read, ct);
            if (book is null)
            {
                return refusal!;
            }

            var prices = PriceAccess.Live(db).AsNoTracking().Where(p => p.PriceBookId == book.Id);
            if (productId is { } product)
            {
                prices = prices.Where(p => p.ProductId == product);
            }

            if (!string.IsNullOrWhiteSpace(currency))
            {
                var code = currency.Trim().ToUpperInvariant();
                prices = prices.Where(p => p.Currency == code);
            }

            var page = await KeysetPager.PageAsync(prices, request, Fields, "currency", clock.GetUtcNow(), ct);
            return Outcome<Page<PriceDto>>.Ok(new Page<PriceDto>([.. page.Data.Select(PriceDto.From)], page.NextCursor));
        }

        /// <summary>The prices of these products in the book (the price grid of a page of products).</summary>
        public async Task<Outcome<IReadOnlyList<PriceDto>>> ForProductsAsync(Guid bookId, IReadOnlyCollection<Guid> productIds, CancellationToken ct)
        {
            var (book, refusal) = await PriceAccess.LoadBookAsync<IReadOnlyList<PriceDto>>(db, access, bookId, AccessAction.Read, ct);
            if (book is null)
            {
                return refusal!;
            }

            var prices = await db.Set<ProductPrice>().AsNoTracking().Where(p => p.PriceBookId == book.Id && productIds.Contains(p.ProductId)).ToListAsync(ct);
            return Outcome<IReadOnlyList<PriceDto>>.Ok([.. prices.Select(PriceDto.From)]);
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapGet("/{id:guid}/prices", async (Guid id, Guid? productId, string? currency, string? filter, string? sort, int? limit, string? cursor,
                    Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(id, productId, currency, new ListRequest(filter, sort, limit, cursor), ct)).ToHttp("price book", TypedResults.Ok))
            .WithName("ListPrices")
            .WithSummary("List the prices of a price book")
            .WithDescription("productId and currency narrow the list. filter/sort over productId, currency, unitPrice, updatedAt (default sort currency); " +
                             "limit 1–200, cursor as on every list. Prices of products in the trash are left out.")
            .Produces<Page<PriceDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
