using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Sales.Products;

/// <summary>
/// A list of prices (per product and currency). Exactly one book not in the trash is the workspace's default, the
/// one quotes take prices from unless they name another; the first book created becomes it.
/// </summary>
[EntityName(TypeName)]
public sealed class PriceBook : BusinessRecord, IOwnedRecord
{
    public const string TypeName = "price-book";
    public const int NameMaxLength = 100;

    private PriceBook() { }

    public string Name { get; private set; } = "";
    /// <summary>ISO 4217: the currency of a price set without naming one.</summary>
    public string Currency { get; private set; } = "";
    public bool IsDefault { get; private set; }
    /// <summary>Inactive books keep their prices but are not offered for new quotes; the default book is always active.</summary>
    public bool Active { get; private set; } = true;

    Guid? IOwnedRecord.OwnerId => null;
    Guid? IOwnedRecord.TeamId => null;

    public static PriceBook Create(PriceBookFields fields, bool isDefault)
    {
        var book = new PriceBook { IsDefault = isDefault };
        book.Change(fields);
        return book;
    }

    public void Change(PriceBookFields fields)
    {
        Name = fields.Name.Trim();
        Currency = fields.Currency.Trim().ToUpperInvariant();
        Active = fields.Active ?? true;
    }

    /// <summary>Stops being the default: another book became it, or this one goes to the trash as the last book.</summary>
    public void LetGoOfDefault() => IsDefault = false;

    /// <summary>Becomes the workspace's default (which is always active).</summary>
    public void BecomeDefault()
    {
        IsDefault = true;
        Active = true;
    }

    public PriceBookFields Fields => new(Name, Currency, IsDefault, Active);
}

internal sealed class PriceBookConfiguration : IEntityTypeConfiguration<PriceBook>
{
    public void Configure(EntityTypeBuilder<PriceBook> b)
    {
        b.ToTable("sales_price_books");
        b.HasKey(p => new { p.WorkspaceId, p.Id });
        b.Property(p => p.Name).HasMaxLength(PriceBook.NameMaxLength);
        b.Property(p => p.Currency).HasMaxLength(3);
        b.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => new { p.WorkspaceId, p.Name }).IsUnique().HasFilter("deleted_at IS NULL");
        // At most one default per workspace, enforced by the database too (the filter reads the same on SQLite and PostgreSQL).
        b.HasIndex(p => p.WorkspaceId, "ux_sales_price_books_default").IsUnique().HasFilter("is_default AND deleted_at IS NULL");
        b.HasIndex(p => new { p.WorkspaceId, p.DeletedAt });
    }
}
