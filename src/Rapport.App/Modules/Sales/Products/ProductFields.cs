using System.Text.Json;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;

namespace Rapport.Modules.Sales.Products;

/// <summary>The writable fields of a product: the create body, and what a PATCH merges into. <c>active</c> defaults to true.</summary>
public sealed record ProductFields(
    string Sku, string Name, string? Description = null, string? Unit = null, bool? Active = null,
    IReadOnlyDictionary<string, JsonElement>? Custom = null);

public sealed record ProductDto(
    Guid Id, string Sku, string Name, string? Description, string? Unit, bool Active, IReadOnlyDictionary<string, JsonElement> Custom,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    public static ProductDto From(Product p, CustomFieldSet? custom = null) => new(
        p.Id, p.Sku, p.Name, p.Description, p.Unit, p.Active, custom?.ToApi(p.CustomFields) ?? new Dictionary<string, JsonElement>(),
        p.CreatedAt, p.UpdatedAt, p.DeletedAt, p.Version);
}

public sealed class ProductFieldsValidator : AbstractValidator<ProductFields>
{
    public ProductFieldsValidator()
    {
        RuleFor(p => p.Sku).NotEmpty().WithMessage("SKU is required.").MaximumLength(Product.SkuMaxLength)
            .Must(s => s is null || !s.Any(char.IsControl)).WithMessage("SKU must be one line without tabs.");
        RuleFor(p => p.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(Product.NameMaxLength);
        RuleFor(p => p.Description).MaximumLength(Product.DescriptionMaxLength);
        RuleFor(p => p.Unit).MaximumLength(Product.UnitMaxLength);
    }
}

/// <summary>Checks a product's fields need the database for: the SKU is free.</summary>
internal static class ProductRules
{
    public static async Task<Dictionary<string, string[]>> CheckAsync(RapportDbContext db, ProductFields fields, Guid? self, CancellationToken ct)
    {
        var errors = new ProductFieldsValidator().Validate(fields).Errors.GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        if (errors.Count == 0 && await SkuTakenAsync(db, fields.Sku, self, ct))
        {
            errors["sku"] = ["Another product already has this SKU."];
        }

        return errors;
    }

    /// <summary>Whether a product not in the trash (other than <paramref name="self"/>) has this SKU, ignoring case.</summary>
    public static Task<bool> SkuTakenAsync(RapportDbContext db, string sku, Guid? self, CancellationToken ct)
    {
        var key = sku.Trim().ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), as the list filters do
        return db.Set<Product>().AnyAsync(p => p.Sku.ToLower() == key && p.Id != self, ct);
#pragma warning restore CA1304, CA1311, CA1862
    }
}
