using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>Sets a product's price in a book and currency (PUT: creates or replaces); If-Match optional, checked when sent.</summary>
public static class SetPrice
{
    public sealed record Result(PriceDto Price, bool Created);

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<Result>> HandleAsync(Guid bookId, Guid productId, PriceFields fields, IfMatch ifMatch, CancellationToken ct)
        {
            var (book, refusal) = await PriceAccess.LoadBookAsync<Result>(db, access, bookId, AccessAction.Update, ct);
            if (book is null)
            {
                return refusal!;
            }

            if (!await db.Set<Product>().AnyAsync(p => p.Id == productId, ct))
            {
                return Outcome<Result>.NotFound();
            }

            var errors = new Dictionary<string, string[]>();
            var (currency, problem) = PriceAccess.Currency(fields.Currency, book);
            if (problem is not null)
            {
                errors["currency"] = [problem];
            }

            if (fields.UnitPrice is not { } unitPrice)
            {
                errors["unitPrice"] = ["Unit price is required."];
            }
            else if (ProductPrice.Problem(unitPrice) is { } wrong)
            {
                errors["unitPrice"] = [wrong];
            }

            if (errors.Count > 0)
            {
                return Outcome<Result>.Invalid(errors);
            }

            var price = await db.Set<ProductPrice>().SingleOrDefaultAsync(p => p.PriceBookId == book.Id && p.ProductId == productId && p.Currency == currency, ct);
            if (ifMatch.Version is { } expected && expected != price?.Version)
            {
                return Outcome<Result>.Stale();
            }

            var created = price is null;
            if (price is null)
            {
                price = ProductPrice.Create(book.Id, productId, currency!, fields.UnitPrice!.Value, clock.GetUtcNow());
                db.Add(price);
            }
            else
            {
                price.Change(fields.UnitPrice!.Value, clock.GetUtcNow());
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<Result>.Stale();
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<Result>.Stale(); // set by someone else at the same moment: read it and try again
            }

            return Outcome<Result>.Ok(new Result(PriceDto.From(price), created));
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapPut("/{id:guid}/prices/{productId:guid}", async (Guid id, Guid productId, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<PriceFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(id, productId, fields.Value!, ETags.ReadIfMatch(http.Request), ct) : Outcome<Result>.Invalid(fields.Errors);
                return outcome.ToHttp("price book or product", r =>
                {
                    ETags.Set(http.Response, r.Price.Version);
                    return r.Created
                        ? TypedResults.Created($"/api/v1/price-books/{id}/prices/{productId}?currency={r.Price.Currency}", r.Price)
                        : TypedResults.Ok(r.Price);
                });
            })
            .WithName("SetPrice")
            .WithSummary("Set a product's price in a price book")
            .WithDescription("Body {\"unitPrice\":12.5,\"currency\":\"EUR\"}; currency defaults to the book's. Up to 4 decimals, 0 to 1,000,000,000. " +
                             "201 when the price is new, 200 when it replaced one. If-Match is optional: when sent, 412 unless it names the current price.")
            .Accepts<PriceFields>("application/json")
            .Produces<PriceDto>()
            .Produces<PriceDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
