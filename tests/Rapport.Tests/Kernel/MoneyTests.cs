using Rapport.Kernel;

namespace Rapport.Tests.Kernel;

public sealed class MoneyTests
{
    [Theory]
    [InlineData(10.005, "CNY", 10.01)]
    [InlineData(-10.005, "USD", -10.01)]
    [InlineData(1234.5, "JPY", 1235)]
    [InlineData(1.0005, "KWD", 1.001)]
    public void Totals_round_half_away_from_zero_to_the_currency_minor_units(decimal amount, string currency, decimal expected) =>
        Assert.Equal(expected, new Money(amount, currency).RoundedToMinorUnits().Amount);

    [Fact]
    public void Amounts_in_different_currencies_do_not_add() =>
        Assert.Throws<InvalidOperationException>(() => new Money(1, "CNY") + new Money(1, "USD"));
}
