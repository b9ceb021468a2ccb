using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

public static class GetPrice
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<PriceDto>> HandleAsync(Guid bookId, Guid productId, string? currency, CancellationToken ct)
        {
            var (book, refusal) = await PriceAccess.LoadBookAsync<PriceDto>(db, access, bookId, AccessAction.Read, ct);
            if (book is null)
            {
                return refusal!;
            }

            var (code, problem) = PriceAccess.Currency(currency, book);
            if (problem is not null)
            {
                return Outcome<PriceDto>.Invalid("currency", problem);
            }

            var price = await PriceAccess.Live(db).AsNoTracking().SingleOrDefaultAsync(p => p.PriceBookId == book.Id && p.ProductId == productId && p.Currency == code, ct);
            return price is null ? Outcome<PriceDto>.NotFound() : Outcome<PriceDto>.Ok(PriceDto.From(price));
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapGet("/{id:guid}/prices/{productId:guid}", async (Guid id, Guid productId, string? currency, Handler handler, HttpResponse response, CancellationToken ct) =>
                (await handler.HandleAsync(id, productId, currency, ct)).ToHttp("price for this product and currency in this book", p =>
                {
                    ETags.Set(response, p.Version);
                    return TypedResults.Ok(p);
                }))
            .WithName("GetPrice")
            .WithSummary("Read a product's price in a price book")
            .WithDescription("currency: the price's ISO 4217 code (default: the book's currency).")
            .Produces<PriceDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
