using Microsoft.EntityFrameworkCore;
using Rapport.Kernel;
using Rapport.Kernel.Data;

namespace Rapport.Modules.Sales.Currency;

/// <summary>
/// The workspace's exchange rates behind <see cref="ICurrencyConverter"/>: only rates entered against the current base
/// currency count. Reads rates without an access check — converting a total is not reading the rate list.
/// </summary>
public sealed class CurrencyConverter(RapportDbContext db, TimeProvider clock) : ICurrencyConverter
{
    public async Task<Money> ConvertAsync(Money amount, string to, DateOnly? on, CancellationToken ct)
    {
        var day = on ?? await TodayAsync(ct);
        var rates = await RatesAsync([amount.Currency, to], day, ct);
        return rates.Convert(amount, to, day);
    }

    public Task<ExchangeRateTable> RatesAsync(IReadOnlyCollection<string> currencies, CancellationToken ct) => RatesAsync(currencies, null, ct);

    public Task<string> BaseCurrencyAsync(CancellationToken ct) =>
        db.Workspaces.Where(w => w.Id == db.WorkspaceId).Select(w => w.BaseCurrency).SingleAsync(ct);

    public async Task<DateOnly> TodayAsync(CancellationToken ct)
    {
        var zone = await db.Workspaces.Where(w => w.Id == db.WorkspaceId).Select(w => w.TimeZone).SingleAsync(ct);
        var timeZone = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found : TimeZoneInfo.Utc;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), timeZone).DateTime);
    }

    /// <summary>The rates of <paramref name="currencies"/>; up to <paramref name="until"/> only (the one conversion's day) when given.</summary>
    private async Task<ExchangeRateTable> RatesAsync(IReadOnlyCollection<string> currencies, DateOnly? until, CancellationToken ct)
    {
        var baseCurrency = await BaseCurrencyAsync(ct);
        var query = db.Set<ExchangeRate>().AsNoTracking().Where(r => r.BaseCurrency == baseCurrency && currencies.Contains(r.Currency));
        if (until is { } day)
        {
            // The rate in force that day is the latest one on or before it, per currency.
            query = query.Where(r => r.EffectiveFrom <= day && !db.Set<ExchangeRate>().Any(later =>
                later.BaseCurrency == r.BaseCurrency && later.Currency == r.Currency && later.EffectiveFrom > r.EffectiveFrom && later.EffectiveFrom <= day));
        }

        var rates = await query.Select(r => new EffectiveRate(r.Currency, r.EffectiveFrom, r.Rate)).ToListAsync(ct);
        return new ExchangeRateTable(baseCurrency, rates);
    }
}
