using Microsoft.EntityFrameworkCore;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>The body of <c>PUT /price-books/{id}/prices/{productId}</c>: the unit price, and its currency when not the book's.</summary>
public sealed record PriceFields(decimal? UnitPrice, string? Currency = null);

public sealed record PriceDto(Guid Id, Guid PriceBookId, Guid ProductId, string Currency, decimal UnitPrice, DateTimeOffset UpdatedAt, int Version)
{
    public static PriceDto From(ProductPrice p) => new(p.Id, p.PriceBookId, p.ProductId, p.Currency, p.UnitPrice, p.UpdatedAt, p.Version);
}

/// <summary>The steps the price endpoints share: the book decides access (reading prices is reading the book, setting them changing it).</summary>
internal static class PriceAccess
{
    public static Task<(PriceBook? Book, Outcome<TDto>? Refusal)> LoadBookAsync<TDto>(
        RapportDbContext db, IAccessControl access, Guid bookId, AccessAction action, CancellationToken ct) =>
        CatalogAccess.LoadForAsync<PriceBook, TDto>(db.Set<PriceBook>().AsNoTracking(), access, PriceBook.TypeName, bookId, action, ct);

    /// <summary>The currency asked for (the book's when none), upper-cased, or the reason it is not one.</summary>
    public static (string? Currency, string? Problem) Currency(string? asked, PriceBook book)
    {
        var currency = string.IsNullOrWhiteSpace(asked) ? book.Currency : asked.Trim().ToUpperInvariant();
        return Currencies.IsKnown(currency) ? (currency, null) : (null, "Currency must be an ISO 4217 code, such as CNY or USD.");
    }

    /// <summary>Prices of products not in the trash.</summary>
    public static IQueryable<ProductPrice> Live(RapportDbContext db) =>
        db.Set<ProductPrice>().Where(p => db.Set<Product>().Any(product => product.Id == p.ProductId));
}
