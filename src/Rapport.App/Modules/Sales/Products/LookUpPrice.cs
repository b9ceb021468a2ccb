using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>
/// The price a quote line takes for a product in a currency: from the book it names, else from the workspace's
/// default book. Anything missing (no default book, an inactive book, no price in that currency) is an error saying
/// what to add — never another book's or currency's price.
/// </summary>
public static class LookUpPrice
{
    /// <summary>The field a missing book is reported on (a quote's <c>priceBookId</c>).</summary>
    public const string BookField = "priceBookId";
    /// <summary>The field a missing price is reported on (a quote line's <c>unitPrice</c>).</summary>
    public const string PriceField = "unitPrice";

    public sealed record PriceQuote(
        Guid ProductId, string Sku, string Name, string? Unit, bool ProductActive, Guid PriceBookId, string PriceBookName, string Currency, decimal UnitPrice);

    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<PriceQuote>> HandleAsync(Guid productId, string? currency, Guid? priceBookId, CancellationToken ct)
        {
            var (product, refusal) = await CatalogAccess.LoadForAsync<Product, PriceQuote>(
                db.Set<Product>().AsNoTracking(), access, Product.TypeName, productId, AccessAction.Read, ct);
            if (product is null)
            {
                return refusal!;
            }

            var code = currency?.Trim().ToUpperInvariant();
            if (!Kernel.Currencies.IsKnown(code))
            {
                return Outcome<PriceQuote>.Invalid("currency", "Currency must be an ISO 4217 code, such as CNY or USD.");
            }

            if (!await CatalogAccess.AllowsAsync(access, PriceBook.TypeName, AccessAction.Read, ct))
            {
                return Outcome<PriceQuote>.Forbidden("Your roles do not allow you to read price books.");
            }

            var books = db.Set<PriceBook>().AsNoTracking();
            var book = priceBookId is { } id ? await books.SingleOrDefaultAsync(b => b.Id == id, ct) : await books.SingleOrDefaultAsync(b => b.IsDefault, ct);
            if (book is null)
            {
                return Outcome<PriceQuote>.Invalid(BookField, priceBookId is null
                    ? "The workspace has no default price book yet. Create a price book first."
                    : "No price book with this id exists in your workspace.");
            }

            if (!book.Active)
            {
                return Outcome<PriceQuote>.Invalid(BookField, $"The price book {book.Name} is inactive.");
            }

            var price = await db.Set<ProductPrice>().AsNoTracking()
                .SingleOrDefaultAsync(p => p.PriceBookId == book.Id && p.ProductId == product.Id && p.Currency == code, ct);
            return price is null
                ? Outcome<PriceQuote>.Invalid(PriceField, $"The price book {book.Name} has no {code} price for {product.Sku}. Add one, or give the unit price.")
                : Outcome<PriceQuote>.Ok(new PriceQuote(product.Id, product.Sku, product.Name, product.Unit, product.Active, book.Id, book.Name, code!, price.UnitPrice));
        }
    }

    public static void Map(RouteGroupBuilder products) =>
        products.MapGet("/{id:guid}/price", async (Guid id, string? currency, Guid? priceBookId, Handler handler, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, currency, priceBookId, ct);
                // A book or price that is not there is a 404 saying what is missing; a malformed currency stays a 400.
                return outcome.Kind == OutcomeKind.Invalid && !outcome.Errors.ContainsKey("currency")
                    ? TypedResults.Problem(string.Join(" ", outcome.Errors.SelectMany(e => e.Value)), statusCode: StatusCodes.Status404NotFound,
                        title: "No price", type: Problems.NotFound)
                    : outcome.ToHttp("product", TypedResults.Ok);
            })
            .WithName("LookUpPrice")
            .WithSummary("Look up a product's price in a currency")
            .WithDescription("currency (required): ISO 4217. priceBookId: the book to read (default: the workspace's default book). " +
                             "404 with a detail saying what is missing when there is no default book, the book is inactive or holds no price in that currency.")
            .Produces<PriceQuote>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
