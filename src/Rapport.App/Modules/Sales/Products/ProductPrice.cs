using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;

namespace Rapport.Modules.Sales.Products;

/// <summary>
/// A product's unit price in one currency in one price book (4 decimals, like every stored amount). Removing a price
/// deletes the row (audited); a product or book in the trash keeps its prices until it is purged.
/// </summary>
[EntityName("price")]
public sealed class ProductPrice : WorkspaceEntity
{
    /// <summary>Highest unit price accepted.</summary>
    public const decimal MaxUnitPrice = 1_000_000_000m;

    private ProductPrice() { }

    public Guid PriceBookId { get; private init; }
    public Guid ProductId { get; private init; }
    /// <summary>ISO 4217.</summary>
    public string Currency { get; private init; } = "";
    public decimal UnitPrice { get; private set; }
    public int Version { get; private set; } = 1;
    public DateTimeOffset UpdatedAt { get; private set; }

    public static ProductPrice Create(Guid priceBookId, Guid productId, string currency, decimal unitPrice, DateTimeOffset now) =>
        new() { PriceBookId = priceBookId, ProductId = productId, Currency = currency, UnitPrice = unitPrice, UpdatedAt = now };

    public void Change(decimal unitPrice, DateTimeOffset now)
    {
        if (unitPrice != UnitPrice)
        {
            UnitPrice = unitPrice;
            UpdatedAt = now;
        }
    }

    /// <summary>Why a unit price cannot be stored, or null.</summary>
    public static string? Problem(decimal unitPrice) =>
        unitPrice < 0 ? "The price must not be negative."
        : unitPrice > MaxUnitPrice ? "The price must be at most 1,000,000,000."
        : decimal.Round(unitPrice, Money.StoredDecimals) != unitPrice ? $"The price has at most {Money.StoredDecimals} decimals."
        : null;
}

internal sealed class ProductPriceConfiguration : IEntityTypeConfiguration<ProductPrice>
{
    public void Configure(EntityTypeBuilder<ProductPrice> b)
    {
        b.ToTable("sales_prices");
        b.HasKey(p => new { p.WorkspaceId, p.Id });
        b.Property(p => p.Currency).HasMaxLength(3);
        b.Property(p => p.Version).IsConcurrencyToken();
        // Purging a book or product from the trash takes its prices with it.
        b.HasOne<PriceBook>().WithMany().HasForeignKey(p => new { p.WorkspaceId, p.PriceBookId }).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Product>().WithMany().HasForeignKey(p => new { p.WorkspaceId, p.ProductId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => new { p.WorkspaceId, p.PriceBookId, p.ProductId, p.Currency }).IsUnique();
        b.HasIndex(p => new { p.WorkspaceId, p.ProductId });
    }
}
