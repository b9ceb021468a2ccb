using Rapport.Kernel;

namespace Rapport.Tests.Kernel;

public sealed class ExchangeRateTableTests
{
    private static readonly ExchangeRateTable Table = new("CNY",
    [
        new EffectiveRate("USD", new DateOnly(2026, 3, 1), 7.2m),
        new EffectiveRate("USD", new DateOnly(2026, 1, 1), 7.0m),
        new EffectiveRate("USD", new DateOnly(2026, 6, 15), 7.1m),
        new EffectiveRate("JPY", new DateOnly(2026, 1, 1), 0.05m),
    ]);

    [Theory]
    [InlineData("2025-12-31", null)]
    [InlineData("2026-01-01", 7.0)]
    [InlineData("2026-02-28", 7.0)]
    [InlineData("2026-03-01", 7.2)]
    [InlineData("2026-06-14", 7.2)]
    [InlineData("2026-06-15", 7.1)]
    [InlineData("2030-01-01", 7.1)]
    public void The_rate_on_a_day_is_the_latest_effective_on_or_before_it(string day, double? rate) =>
        Assert.Equal((decimal?)rate, Table.RateOn("USD", DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void The_base_currency_is_worth_one_and_unknown_currencies_nothing()
    {
        Assert.Equal(1m, Table.RateOn("CNY", new DateOnly(1990, 1, 1)));
        Assert.Null(Table.RateOn("EUR", new DateOnly(2026, 5, 1)));
    }

    [Fact]
    public void Conversions_round_once_to_the_target_minor_units_half_away_from_zero()
    {
        var day = new DateOnly(2026, 3, 10);
        Assert.Equal(new Money(720m, "CNY"), Table.Convert(new Money(100m, "USD"), "CNY", day));
        Assert.Equal(new Money(144m, "JPY"), Table.Convert(new Money(1m, "USD"), "JPY", day));
        Assert.Equal(new Money(3m, "JPY"), Table.Convert(new Money(0.125m, "CNY"), "JPY", day));   // 2.5 JPY
        Assert.Equal(new Money(-3m, "JPY"), Table.Convert(new Money(-0.125m, "CNY"), "JPY", day));
        Assert.Equal(new Money(0.13m, "CNY"), Table.Convert(new Money(0.125m, "CNY"), "CNY", day));
        Assert.Equal(new Money(0.01m, "USD"), Table.Convert(new Money(1m, "JPY"), "USD", day));    // 0.00694…
    }

    [Fact]
    public void A_missing_rate_names_the_currency_the_base_and_the_day()
    {
        var e = Assert.Throws<MissingExchangeRateException>(() => Table.Convert(new Money(1m, "EUR"), "CNY", new DateOnly(2026, 5, 1)));
        Assert.Equal("No exchange rate from EUR to the base currency CNY is effective on 2026-05-01. Add one effective on or before that day (Settings → Exchange rates).", e.Message);
        Assert.Throws<MissingExchangeRateException>(() => Table.Convert(new Money(1m, "CNY"), "USD", new DateOnly(2025, 1, 1)));
    }
}
