using Rapport.Kernel;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>
/// A quote's totals, exactly as issue 7 states them, in decimal:
/// line net = round(quantity × unit price × (1 − discount% / 100), m); line tax = round(line net × tax rate% / 100, m);
/// subtotal = Σ line net; tax = Σ line tax; total = subtotal + tax — where m is the quote currency's ISO 4217 minor
/// units (2 for CNY, USD, EUR; 0 for JPY) and rounding is half away from zero, never .NET's default banker's rounding.
/// Within the limits below every product is exact (at most 27 significant digits), so nothing rounds but those two steps.
/// </summary>
public static class QuoteArithmetic
{
    public const decimal MaxQuantity = 1_000_000m;
    public const decimal MaxUnitPrice = 1_000_000_000m;
    /// <summary>Quantities and unit prices keep up to 4 decimals, like every stored amount.</summary>
    public const int AmountDecimals = 4;
    /// <summary>Discounts keep up to 2 decimals (12.75%), tax rates up to 4 (8.875%).</summary>
    public const int DiscountDecimals = 2;
    public const int TaxRateDecimals = 4;

    /// <param name="DiscountPercent">0–100.</param>
    /// <param name="TaxRatePercent">0–100.</param>
    public sealed record Line(decimal Quantity, decimal UnitPrice, decimal DiscountPercent = 0m, decimal TaxRatePercent = 0m);

    public sealed record LineTotals(decimal Net, decimal Tax);

    public sealed record Totals(string Currency, IReadOnlyList<LineTotals> Lines, decimal Subtotal, decimal Tax, decimal Total);

    public static Totals Compute(string currency, IEnumerable<Line> lines)
    {
        var minorUnits = Currencies.MinorUnits(currency);
        var totals = lines.Select(line => ComputeLine(line, minorUnits)).ToList();
        var subtotal = totals.Sum(t => t.Net);
        var tax = totals.Sum(t => t.Tax);
        return new Totals(currency, totals, subtotal, tax, subtotal + tax);
    }

    public static LineTotals ComputeLine(Line line, int minorUnits)
    {
        if (Problems(line) is { Count: > 0 } problems)
        {
            throw new ArgumentOutOfRangeException(nameof(line), string.Join(" ", problems.Values));
        }

        // (100 − d) / 100 instead of 1 − d/100: the same number, and the product stays exact.
        var net = Round(line.Quantity * line.UnitPrice * (100m - line.DiscountPercent) / 100m, minorUnits);
        var tax = Round(net * line.TaxRatePercent / 100m, minorUnits);
        return new LineTotals(net, tax);
    }

    public static decimal Round(decimal amount, int minorUnits) => Math.Round(amount, minorUnits, MidpointRounding.AwayFromZero);

    /// <summary>What is wrong with a line, by its API field name (a quote's validator reports these on the line); empty when it is fine.</summary>
    public static IReadOnlyDictionary<string, string> Problems(Line line)
    {
        var problems = new Dictionary<string, string>();
        if (line.Quantity <= 0m || line.Quantity > MaxQuantity || !HasAtMost(line.Quantity, AmountDecimals))
        {
            problems["quantity"] = "Quantity must be more than 0 and at most 1,000,000, with up to 4 decimals.";
        }

        if (line.UnitPrice < 0m || line.UnitPrice > MaxUnitPrice || !HasAtMost(line.UnitPrice, AmountDecimals))
        {
            problems["unitPrice"] = "Unit price must be between 0 and 1,000,000,000, with up to 4 decimals.";
        }

        if (line.DiscountPercent is < 0m or > 100m || !HasAtMost(line.DiscountPercent, DiscountDecimals))
        {
            problems["discountPercent"] = "Discount must be between 0 and 100 (percent), with up to 2 decimals.";
        }

        if (line.TaxRatePercent is < 0m or > 100m || !HasAtMost(line.TaxRatePercent, TaxRateDecimals))
        {
            problems["taxRatePercent"] = "Tax rate must be between 0 and 100 (percent), with up to 4 decimals.";
        }

        return problems;
    }

    private static bool HasAtMost(decimal value, int decimals) => decimal.Round(value, decimals) == value;
}
