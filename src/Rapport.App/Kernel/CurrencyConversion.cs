using System.Globalization;

namespace Rapport.Kernel;

/// <summary>
/// Converts amounts between currencies at the workspace's exchange rates (kept by the Sales module, which implements
/// this). Every module that totals money in several currencies (forecasts, reports, commissions) asks here.
/// </summary>
public interface ICurrencyConverter
{
    /// <summary>The workspace's base currency: what rates are quoted in and totals are converted to.</summary>
    Task<string> BaseCurrencyAsync(CancellationToken ct);

    /// <summary>
    /// <paramref name="amount"/> in <paramref name="to"/>, at the rates effective on <paramref name="on"/> (null: today in
    /// the workspace's time zone), rounded to <paramref name="to"/>'s minor units half away from zero.
    /// </summary>
    /// <exception cref="MissingExchangeRateException">No rate for one of the two currencies is effective on that day.</exception>
    Task<Money> ConvertAsync(Money amount, string to, DateOnly? on, CancellationToken ct);

    /// <summary>Every rate of these currencies, loaded once, for converting many amounts at many dates (totals, reports).</summary>
    Task<ExchangeRateTable> RatesAsync(IReadOnlyCollection<string> currencies, CancellationToken ct);

    /// <summary>Today in the workspace's time zone: the day open deals are converted at.</summary>
    Task<DateOnly> TodayAsync(CancellationToken ct);
}

/// <summary>One currency's rate from a day on: <see cref="Rate"/> units of the base currency buy one unit of it.</summary>
public sealed record EffectiveRate(string Currency, DateOnly EffectiveFrom, decimal Rate);

/// <summary>
/// Rates against one base currency, with the conversion arithmetic: the rate of a currency on a day is the one with
/// the latest <see cref="EffectiveRate.EffectiveFrom"/> on or before it. An amount goes from A to B as
/// amount × rate(A) ÷ rate(B) (the base currency's rate being 1), rounded once, at the end, to B's minor units,
/// half away from zero.
/// </summary>
public sealed class ExchangeRateTable
{
    private readonly Dictionary<string, EffectiveRate[]> _rates;

    public ExchangeRateTable(string baseCurrency, IEnumerable<EffectiveRate> rates)
    {
        BaseCurrency = baseCurrency;
        _rates = rates.Where(r => r.Currency != baseCurrency).GroupBy(r => r.Currency, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.EffectiveFrom).ToArray(), StringComparer.Ordinal);
    }

    public string BaseCurrency { get; }

    /// <summary>Units of the base currency one unit of <paramref name="currency"/> buys on <paramref name="on"/>; null when no rate is effective yet.</summary>
    public decimal? RateOn(string currency, DateOnly on)
    {
        if (currency == BaseCurrency)
        {
            return 1m;
        }

        if (!_rates.TryGetValue(currency, out var rates))
        {
            return null;
        }

        // The last rate effective on or before the day.
        var (low, high) = (0, rates.Length - 1);
        EffectiveRate? found = null;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (rates[middle].EffectiveFrom <= on)
            {
                found = rates[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found?.Rate;
    }

    /// <exception cref="MissingExchangeRateException">No rate for one of the currencies is effective on <paramref name="on"/>.</exception>
    public Money Convert(Money amount, string to, DateOnly on)
    {
        var from = RateOn(amount.Currency, on) ?? throw new MissingExchangeRateException(amount.Currency, BaseCurrency, on);
        var into = RateOn(to, on) ?? throw new MissingExchangeRateException(to, BaseCurrency, on);
        var converted = amount.Currency == to ? amount.Amount : amount.Amount * from / into;
        return new Money(converted, to).RoundedToMinorUnits();
    }
}

/// <summary>A conversion needed a rate the workspace does not have: the message says which, and from which day.</summary>
public sealed class MissingExchangeRateException(string currency, string baseCurrency, DateOnly on)
    : InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
        $"No exchange rate from {currency} to the base currency {baseCurrency} is effective on {on:yyyy-MM-dd}. Add one effective on or before that day (Settings → Exchange rates)."))
{
    public string Currency { get; } = currency;
    public string BaseCurrency { get; } = baseCurrency;
    public DateOnly On { get; } = on;
}
