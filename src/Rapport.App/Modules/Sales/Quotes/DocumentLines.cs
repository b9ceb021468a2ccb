using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Rapport.Kernel.Data;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>
/// A line as a quote or order is written: a product (its name and, when <c>unitPrice</c> is left out, its price-book price in
/// the document's currency) or free text, with quantity, unit price, discount % and tax rate %.
/// </summary>
public sealed record LineFields(
    Guid? ProductId = null, string? Description = null, decimal? Quantity = null, decimal? UnitPrice = null,
    decimal? DiscountPercent = null, decimal? TaxRatePercent = null);

/// <summary>A line as a quote or order keeps it (a JSON column: a revision or an order copies lines as they were).</summary>
public sealed record DocumentLine(Guid? ProductId, string Description, decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal TaxRatePercent)
{
    [JsonIgnore]
    public QuoteArithmetic.Line Arithmetic => new(Quantity, UnitPrice, DiscountPercent, TaxRatePercent);
}

/// <summary>A line as the API shows it, with its <c>net</c> and <c>tax</c> computed by <see cref="QuoteArithmetic"/>.</summary>
public sealed record LineDto(Guid? ProductId, string Description, decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal TaxRatePercent, decimal Net, decimal Tax);

/// <summary>Reading, checking and pricing the lines of quotes and orders.</summary>
public static class DocumentLines
{
    public const int MaxLines = 200;
    public const int DescriptionMaxLength = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly ValueConverter<List<DocumentLine>, string> Converter = new(
        v => JsonSerializer.Serialize(v, Json),
        v => JsonSerializer.Deserialize<List<DocumentLine>>(v, Json) ?? new List<DocumentLine>());

    public static readonly ValueComparer<List<DocumentLine>> Comparer = new(
        (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
        v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
        v => v.ToList());

    /// <summary>The totals of <paramref name="lines"/> in <paramref name="currency"/>, and each line with its net and tax.</summary>
    public static (QuoteArithmetic.Totals Totals, IReadOnlyList<LineDto> Lines) Compute(string currency, IReadOnlyList<DocumentLine> lines)
    {
        var totals = QuoteArithmetic.Compute(currency, lines.Select(l => l.Arithmetic));
        return (totals, [.. lines.Zip(totals.Lines, (l, t) => new LineDto(l.ProductId, l.Description, l.Quantity, l.UnitPrice, l.DiscountPercent, l.TaxRatePercent, t.Net, t.Tax))]);
    }

    /// <summary>
    /// The lines to store, or the errors by field (<c>lines</c>, <c>lines[2].unitPrice</c>…). A product line without a unit price
    /// takes the product's price in <paramref name="currency"/> from <paramref name="priceBookId"/> (default: the workspace's default book);
    /// without a description it takes the product's name.
    /// </summary>
    public static async Task<(List<DocumentLine> Lines, Dictionary<string, string[]> Errors)> ResolveAsync(
        RapportDbContext db, LookUpPrice.Handler prices, string currency, Guid? priceBookId, IReadOnlyList<LineFields>? lines, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var resolved = new List<DocumentLine>();
        if (lines is null || lines.Count == 0)
        {
            errors["lines"] = ["Add at least one line."];
            return (resolved, errors);
        }

        if (lines.Count > MaxLines)
        {
            errors["lines"] = [$"At most {MaxLines} lines."];
            return (resolved, errors);
        }

        var productIds = lines.Where(l => l?.ProductId is not null).Select(l => l.ProductId!.Value).Distinct().ToList();
        var products = await db.Set<Product>().AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var at = $"lines[{i}]";
            if (line is null)
            {
                errors[at] = ["A line is an object."];
                continue;
            }

            var description = line.Description?.Trim();
            string? productName = null;
            if (line.ProductId is { } productId && !products.TryGetValue(productId, out productName))
            {
                errors[$"{at}.productId"] = ["No product with this id exists in your workspace."];
                continue;
            }

            description = string.IsNullOrEmpty(description) ? productName : description;
            if (string.IsNullOrEmpty(description))
            {
                errors[$"{at}.description"] = ["Give the line a product or a description."];
                continue;
            }

            if (description.Length > DescriptionMaxLength)
            {
                errors[$"{at}.description"] = [$"At most {DescriptionMaxLength} characters."];
                continue;
            }

            var unitPrice = line.UnitPrice;
            if (unitPrice is null && line.ProductId is { } priced)
            {
                var price = await prices.HandleAsync(priced, currency, priceBookId, ct);
                if (!price.IsOk)
                {
                    foreach (var (field, reasons) in price.Errors)
                    {
                        errors[field == LookUpPrice.BookField ? field : $"{at}.{field}"] = reasons;
                    }

                    if (price.Errors.Count == 0)
                    {
                        errors[$"{at}.unitPrice"] = [price.Detail ?? "The product's price could not be read; give the unit price."];
                    }

                    continue;
                }

                unitPrice = price.Value!.UnitPrice;
            }

            if (unitPrice is null)
            {
                errors[$"{at}.unitPrice"] = ["Give the unit price of a line without a product."];
                continue;
            }

            var candidate = new DocumentLine(line.ProductId, description, line.Quantity ?? 1m, unitPrice.Value, line.DiscountPercent ?? 0m, line.TaxRatePercent ?? 0m);
            foreach (var (field, reason) in QuoteArithmetic.Problems(candidate.Arithmetic))
            {
                errors[$"{at}.{field}"] = [reason];
            }

            resolved.Add(candidate);
        }

        return (resolved, errors);
    }

    /// <summary>The refusal of a currency that is not ISO 4217 (empty when it is one).</summary>
    public static Dictionary<string, string[]> CheckCurrency(string? currency) =>
        Kernel.Currencies.IsKnown(currency) ? [] : new() { ["currency"] = ["Currency must be an ISO 4217 code, such as CNY, USD or EUR."] };
}
