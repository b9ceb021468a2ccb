using Rapport.Kernel;

namespace Rapport.Modules.Sales.Deals;

/// <summary>
/// The seam where exchange rates come in: turns an amount in another currency into the workspace's base currency for
/// totals. Registered as <see cref="Currency.ExchangeRateConversion"/> (the workspace's exchange rates).
/// </summary>
public interface IDealAmountConversion
{
    /// <returns>The amount in <paramref name="baseCurrency"/> at the rate effective on <paramref name="on"/> (unrounded), or null when no rate is known.</returns>
    Task<decimal?> ToBaseAsync(decimal amount, string currency, string baseCurrency, DateOnly on, CancellationToken ct);

    /// <summary>Loads what converting these currencies takes in one go (one query for all of them), before many <see cref="ToBaseAsync"/> calls.</summary>
    Task LoadAsync(IReadOnlyCollection<string> currencies, string baseCurrency, CancellationToken ct);
}

/// <summary>
/// Totals in the base currency from sums the database made (one GROUP BY … currency, day): won deals convert at the rate of
/// their close date, open and lost ones at today's (the workspace's today). Amounts without a rate are not dropped silently:
/// each total lists them (<see cref="Missing"/>).
/// </summary>
public static class DealTotals
{
    /// <summary>One group of the database's sums: the deals of a key in one currency, to convert on one day (null: today).</summary>
    public sealed record Sum<TKey>(TKey Key, string Currency, DateOnly? On, int WithAmount, decimal Amount);

    /// <summary>Amounts that could not be converted: <paramref name="Deals"/> deals in <paramref name="Currency"/> adding up to <paramref name="Amount"/>, with no rate effective on <paramref name="On"/>.</summary>
    public sealed record Missing(string Currency, DateOnly On, int Deals, decimal Amount);

    /// <summary>A total in the base currency (rounded to its minor units), and the deals with an amount it leaves out for want of a rate.</summary>
    public sealed record Total(Money Amount, int NotConverted, IReadOnlyList<Missing> Missing)
    {
        public static Total Zero(string currency) => new(new Money(0, currency), 0, []);

        public Total Add(Total other) => new(Amount + other.Amount, NotConverted + other.NotConverted, Merge([.. Missing, .. other.Missing]));
    }

    /// <summary>Missing amounts added up per currency and day, in that order.</summary>
    public static IReadOnlyList<Missing> Merge(IEnumerable<Missing> missing) =>
        [.. missing.GroupBy(m => (m.Currency, m.On)).Select(g => new Missing(g.Key.Currency, g.Key.On, g.Sum(m => m.Deals), g.Sum(m => m.Amount)))
            .OrderBy(m => m.Currency, StringComparer.Ordinal).ThenBy(m => m.On)];

    /// <summary>Converts each group and adds them up per key.</summary>
    public static async Task<Dictionary<TKey, Total>> PerKeyAsync<TKey>(
        IEnumerable<Sum<TKey>> sums, string baseCurrency, DateOnly today, IDealAmountConversion conversion, CancellationToken ct)
        where TKey : notnull
    {
        var all = sums.ToList();
        await conversion.LoadAsync([.. all.Where(s => s.WithAmount > 0).Select(s => s.Currency).Distinct(StringComparer.Ordinal)], baseCurrency, ct);
        var totals = new Dictionary<TKey, (decimal Amount, int NotConverted, List<Missing> Missing)>();
        foreach (var sum in all)
        {
            var total = totals.GetValueOrDefault(sum.Key, (0m, 0, []));
            var on = sum.On ?? today;
            var converted = sum.WithAmount == 0 ? 0 : await conversion.ToBaseAsync(sum.Amount, sum.Currency, baseCurrency, on, ct);
            if (converted is { } amount)
            {
                total.Amount += amount;
            }
            else
            {
                total.NotConverted += sum.WithAmount;
                total.Missing.Add(new Missing(sum.Currency, on, sum.WithAmount, sum.Amount));
            }

            totals[sum.Key] = total;
        }

        return totals.ToDictionary(t => t.Key, t => new Total(new Money(t.Value.Amount, baseCurrency).RoundedToMinorUnits(), t.Value.NotConverted, Merge(t.Value.Missing)));
    }
}
