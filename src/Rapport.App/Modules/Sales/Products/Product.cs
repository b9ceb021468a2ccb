using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Sales.Products;

/// <summary>Something the workspace sells: quotes and orders name it, price books price it.</summary>
[EntityName(TypeName)]
public sealed class Product : BusinessRecord, IOwnedRecord, IHasCustomFields
{
    /// <summary>The API and access-control name of the entity type.</summary>
    public const string TypeName = "product";
    public const int SkuMaxLength = 64;
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 4000;
    public const int UnitMaxLength = 20;

    private Product() { }

    /// <summary>Stock keeping unit, unique in the workspace (ignoring case) among products not in the trash.</summary>
    public string Sku { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    /// <summary>What one is counted in: piece, hour, licence, 件…</summary>
    public string? Unit { get; private set; }
    /// <summary>Inactive products stay on existing quotes and orders but are not offered for new ones.</summary>
    public bool Active { get; private set; } = true;
    /// <summary>Custom field values (JSON object, key → value), checked by <see cref="CustomFieldSet"/>.</summary>
    public string CustomFields { get; private set; } = CustomValues.Empty;

    // The catalog is shared by the whole workspace: no owner, no team (access is all or nothing).
    Guid? IOwnedRecord.OwnerId => null;
    Guid? IOwnedRecord.TeamId => null;

    public static Product Create(ProductFields fields)
    {
        var product = new Product();
        product.Change(fields);
        return product;
    }

    public void Change(ProductFields fields)
    {
        Sku = fields.Sku.Trim();
        Name = fields.Name.Trim();
        Description = Blank(fields.Description);
        Unit = Blank(fields.Unit);
        Active = fields.Active ?? true;
    }

    public void SetCustomFields(string json) => CustomFields = json;

    public ProductFields Fields => new(Sku, Name, Description, Unit, Active);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.ToTable("sales_products");
        b.HasKey(p => new { p.WorkspaceId, p.Id });
        b.Property(p => p.Sku).HasMaxLength(Product.SkuMaxLength);
        b.Property(p => p.Name).HasMaxLength(Product.NameMaxLength);
        b.Property(p => p.Description).HasMaxLength(Product.DescriptionMaxLength);
        b.Property(p => p.Unit).HasMaxLength(Product.UnitMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => new { p.WorkspaceId, p.Sku }).IsUnique().HasFilter("deleted_at IS NULL");
        b.HasIndex(p => new { p.WorkspaceId, p.Name, p.Id });
        b.HasIndex(p => new { p.WorkspaceId, p.CreatedAt, p.Id });
        b.HasIndex(p => new { p.WorkspaceId, p.DeletedAt });
    }
}
