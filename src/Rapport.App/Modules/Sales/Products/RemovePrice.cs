using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>Removes a product's price from a book (for good, audited); needs If-Match.</summary>
public static class RemovePrice
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<PriceDto>> HandleAsync(Guid bookId, Guid productId, string? currency, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<PriceDto>.IfMatchRequired();
            }

            var (book, refusal) = await PriceAccess.LoadBookAsync<PriceDto>(db, access, bookId, AccessAction.Update, ct);
            if (book is null)
            {
                return refusal!;
            }

            var (code, problem) = PriceAccess.Currency(currency, book);
            if (problem is not null)
            {
                return Outcome<PriceDto>.Invalid("currency", problem);
            }

            var price = await PriceAccess.Live(db).SingleOrDefaultAsync(p => p.PriceBookId == book.Id && p.ProductId == productId && p.Currency == code, ct);
            if (price is null)
            {
                return Outcome<PriceDto>.NotFound();
            }

            if (ifMatch.Version is { } expected && expected != price.Version)
            {
                return Outcome<PriceDto>.Stale();
            }

            db.Remove(price);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<PriceDto>.Stale();
            }

            return Outcome<PriceDto>.Ok(PriceDto.From(price));
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapDelete("/{id:guid}/prices/{productId:guid}", async (Guid id, Guid productId, string? currency, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, productId, currency, ETags.ReadIfMatch(http.Request), ct))
                .ToHttp("price for this product and currency in this book", _ => TypedResults.NoContent()))
            .WithName("RemovePrice")
            .WithSummary("Remove a product's price from a price book")
            .WithDescription("currency: the price's ISO 4217 code (default: the book's currency). Send the price's ETag in If-Match.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
