using Rapport.Kernel;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Modules.Sales.Currency;

/// <summary>
/// Deal totals converted at the workspace's exchange rates: each currency's rates are loaded once per unit of work (one
/// query for the currencies of a total, however many groups it has), then looked up by day.
/// </summary>
internal sealed class ExchangeRateConversion(ICurrencyConverter converter) : IDealAmountConversion
{
    private readonly Dictionary<string, ExchangeRateTable> _tables = new(StringComparer.Ordinal);

    public async Task<decimal?> ToBaseAsync(decimal amount, string currency, string baseCurrency, DateOnly on, CancellationToken ct)
    {
        if (currency == baseCurrency)
        {
            return amount;
        }

        if (!_tables.TryGetValue(currency, out var table))
        {
            _tables[currency] = table = await converter.RatesAsync([currency], ct);
        }

        return table.BaseCurrency == baseCurrency && table.RateOn(currency, on) is { } rate ? amount * rate : null;
    }

    public async Task LoadAsync(IReadOnlyCollection<string> currencies, string baseCurrency, CancellationToken ct)
    {
        var missing = currencies.Where(c => c != baseCurrency && !_tables.ContainsKey(c)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var table = await converter.RatesAsync(missing, ct);
        foreach (var currency in missing)
        {
            _tables[currency] = table;
        }
    }
}
