using System.Numerics;
using Rapport.Modules.Sales.Quotes;
using static Rapport.Modules.Sales.Quotes.QuoteArithmetic;

namespace Rapport.Tests.Sales;

/// <summary>Issue 7's quote formula, checked by hand-computed cases and against exact rational arithmetic on random lines.</summary>
public sealed class QuoteArithmeticTests
{
    public static TheoryData<string, decimal, decimal, decimal, decimal, decimal, decimal> Lines => new()
    {
        // currency, quantity, unit price, discount %, tax %, expected line net, expected line tax
        { "USD", 1m, 0.125m, 0m, 0m, 0.13m, 0m },            // half away from zero (banker's rounding gives 0.12)
        { "JPY", 1m, 2.5m, 0m, 0m, 3m, 0m },                 // JPY has no minor units (banker's gives 2)
        { "JPY", 1m, 3.5m, 0m, 0m, 4m, 0m },
        { "USD", 1m, 0.05m, 50m, 0m, 0.03m, 0m },            // 0.025 after the discount
        { "USD", 3m, 19.99m, 10m, 0m, 53.97m, 0m },          // 53.973
        { "CNY", 2m, 10.005m, 0m, 13m, 20.01m, 2.60m },      // tax 2.6013
        { "USD", 1m, 10m, 0m, 8.875m, 10m, 0.89m },          // tax 0.8875
        { "USD", 1m, 1m, 0m, 12.5m, 1m, 0.13m },             // tax 0.125
        { "JPY", 3m, 333.5m, 0m, 10m, 1001m, 100m },         // net 1000.5, tax 100.1
        { "JPY", 1m, 1234.5m, 15m, 8m, 1049m, 84m },         // net 1049.325, tax 83.92
        { "USD", 1.5m, 0.01m, 0m, 0m, 0.02m, 0m },           // 0.015
        { "USD", 0.3333m, 3m, 0m, 0m, 1.00m, 0m },           // 0.9999
        { "EUR", 7m, 99.99m, 12.75m, 19m, 610.69m, 116.03m }, // net 610.688..., tax 116.0311
        { "KWD", 1m, 0.0005m, 0m, 0m, 0.001m, 0m },          // three minor units
        { "USD", 5m, 100m, 100m, 20m, 0m, 0m },              // fully discounted
        { "USD", 1_000_000m, 1_000_000_000m, 0.01m, 100m, 999_900_000_000_000m, 999_900_000_000_000m }, // the limits
    };

    [Theory, MemberData(nameof(Lines))]
    public void A_line_is_netted_then_taxed_each_rounded_half_away_from_zero(
        string currency, decimal quantity, decimal unitPrice, decimal discount, decimal tax, decimal net, decimal lineTax)
    {
        var totals = Compute(currency, [new Line(quantity, unitPrice, discount, tax)]);
        Assert.Equal(new LineTotals(net, lineTax), Assert.Single(totals.Lines));
        Assert.Equal(net, totals.Subtotal);
        Assert.Equal(lineTax, totals.Tax);
        Assert.Equal(net + lineTax, totals.Total);
    }

    [Fact]
    public void A_quote_sums_the_rounded_lines()
    {
        var totals = Compute("USD", [new Line(2m, 50m, 10m, 10m), new Line(1m, 0.125m), new Line(3m, 19.99m, 0m, 7.25m)]);
        Assert.Equal([new LineTotals(90.00m, 9.00m), new LineTotals(0.13m, 0m), new LineTotals(59.97m, 4.35m)], totals.Lines);
        Assert.Equal(150.10m, totals.Subtotal);
        Assert.Equal(13.35m, totals.Tax);
        Assert.Equal(163.45m, totals.Total);
    }

    [Fact]
    public void Tax_is_the_sum_of_the_rounded_line_taxes_not_the_tax_of_the_subtotal()
    {
        // Three lines of 5 JPY at 10%: each line's 0.5 JPY tax rounds to 1, so the quote's tax is 3 (10% of 15 would round to 2).
        var totals = Compute("JPY", [new Line(1m, 5m, 0m, 10m), new Line(1m, 5m, 0m, 10m), new Line(1m, 5m, 0m, 10m)]);
        Assert.Equal((15m, 3m, 18m), (totals.Subtotal, totals.Tax, totals.Total));
    }

    [Fact]
    public void An_empty_quote_totals_zero() => Assert.Equal((0m, 0m, 0m), (Compute("CNY", []).Subtotal, Compute("CNY", []).Tax, Compute("CNY", []).Total));

    [Theory]
    [InlineData(0, 1, 0, 0, "quantity")]
    [InlineData(-1, 1, 0, 0, "quantity")]
    [InlineData(1_000_001, 1, 0, 0, "quantity")]
    [InlineData(0.00001, 1, 0, 0, "quantity")]
    [InlineData(1, -0.01, 0, 0, "unitPrice")]
    [InlineData(1, 1_000_000_001, 0, 0, "unitPrice")]
    [InlineData(1, 0.12345, 0, 0, "unitPrice")]
    [InlineData(1, 1, 100.01, 0, "discountPercent")]
    [InlineData(1, 1, -5, 0, "discountPercent")]
    [InlineData(1, 1, 12.345, 0, "discountPercent")]
    [InlineData(1, 1, 0, 101, "taxRatePercent")]
    [InlineData(1, 1, 0, 8.87501, "taxRatePercent")]
    public void Lines_outside_the_limits_are_named_by_field_and_never_computed(double quantity, double unitPrice, double discount, double tax, string field)
    {
        var line = new Line((decimal)quantity, (decimal)unitPrice, (decimal)discount, (decimal)tax);
        Assert.Equal([field], Problems(line).Keys);
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeLine(line, 2));
    }

    /// <summary>
    /// Property: for random lines within the limits (many on exact midpoints), the decimal computation equals the formula
    /// evaluated in exact rational arithmetic (BigInteger) with half-away-from-zero rounding; totals add up.
    /// </summary>
    [Theory]
    [InlineData(7, "USD")]
    [InlineData(11, "JPY")]
    [InlineData(13, "CNY")]
    [InlineData(17, "KWD")]
    public void Decimal_totals_equal_the_exact_formula_on_random_lines(int seed, string currency)
    {
        var random = new Random(seed);
        var minorUnits = Rapport.Kernel.Currencies.MinorUnits(currency);
        for (var quote = 0; quote < 300; quote++)
        {
            var lines = Enumerable.Range(0, random.Next(1, 8)).Select(_ => RandomLine(random)).ToList();
            var totals = Compute(currency, lines);
            for (var i = 0; i < lines.Count; i++)
            {
                var (net, tax) = Exact(lines[i], minorUnits);
                Assert.True(totals.Lines[i] == new LineTotals(net, tax), $"{lines[i]} in {currency}: got {totals.Lines[i]}, exact {net} / {tax}");
                Assert.True(decimal.Round(net, minorUnits) == net && decimal.Round(tax, minorUnits) == tax);
            }

            Assert.Equal(totals.Lines.Sum(l => l.Net), totals.Subtotal);
            Assert.Equal(totals.Lines.Sum(l => l.Tax), totals.Tax);
            Assert.Equal(totals.Subtotal + totals.Tax, totals.Total);
        }
    }

    private static Line RandomLine(Random random)
    {
        // Small and large magnitudes, few and many decimals; prices ending in 5 to land on midpoints often.
        decimal Amount(long maxUnits, int decimals) => (decimal)random.NextInt64(1, maxUnits * Pow10(decimals) + 1) / Pow10(decimals);
        var quantity = random.Next(3) == 0 ? Amount(1_000_000, random.Next(0, 5)) : random.Next(1, 20);
        var unitPrice = random.Next(4) switch
        {
            0 => Amount(1_000_000_000, random.Next(0, 5)),
            1 => random.Next(0, 10_000) / 1000m + 0.0005m,
            2 => random.Next(0, 1000) + 0.5m,
            _ => Amount(100, random.Next(0, 5)),
        };
        var discount = random.Next(3) == 0 ? 0m : random.Next(0, 10_001) / 100m;
        var tax = random.Next(4) switch { 0 => 0m, 1 => 12.5m, 2 => random.Next(0, 1_000_001) / 10_000m, _ => random.Next(0, 30) };
        return new Line(quantity, Math.Min(unitPrice, MaxUnitPrice), discount, tax);
    }

    private static long Pow10(int n) => (long)BigInteger.Pow(10, n);

    /// <summary>The formula in exact fractions: net = q·p·(100 − d)/100, tax = net·t/100, each rounded half away from zero.</summary>
    private static (decimal Net, decimal Tax) Exact(Line line, int minorUnits)
    {
        var (q, qs) = Fraction(line.Quantity);
        var (p, ps) = Fraction(line.UnitPrice);
        var (d, ds) = Fraction(100m - line.DiscountPercent);
        var (t, ts) = Fraction(line.TaxRatePercent);
        var unit = BigInteger.Pow(10, minorUnits);
        // net in minor units = q·p·d · 10^m / (qs·ps·ds·100)
        var net = RoundHalfAwayFromZero(q * p * d * unit, qs * ps * ds * 100);
        var tax = RoundHalfAwayFromZero(net * t, ts * 100);
        return (ToDecimal(net, minorUnits), ToDecimal(tax, minorUnits));
    }

    private static (BigInteger Numerator, BigInteger Denominator) Fraction(decimal value)
    {
        var bits = decimal.GetBits(value);
        var mantissa = new BigInteger((uint)bits[0]) | new BigInteger((uint)bits[1]) << 32 | new BigInteger((uint)bits[2]) << 64;
        return (value < 0 ? -mantissa : mantissa, BigInteger.Pow(10, value.Scale));
    }

    private static BigInteger RoundHalfAwayFromZero(BigInteger numerator, BigInteger denominator)
    {
        var magnitude = (2 * BigInteger.Abs(numerator) + denominator) / (2 * denominator);
        return numerator.Sign < 0 ? -magnitude : magnitude;
    }

    private static decimal ToDecimal(BigInteger minorUnitsValue, int minorUnits) => (decimal)minorUnitsValue / (decimal)Math.Pow(10, minorUnits);
}
