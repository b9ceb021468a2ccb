using Rapport.Kernel;

namespace Rapport.Modules.Sales.Deals;

/// <summary>
/// The seam where exchange rates come in: turns an amount in another currency into the workspace's base currency for
/// totals (open deals at today's rate). Until exchange rates exist, <see cref="BaseCurrencyOnly"/> converts nothing, so
/// totals count the deals in the base currency and say how many others they leave out. Replace the registration in
/// <c>SalesModule</c> with a rate-backed one.
/// </summary>
public interface IDealAmountConversion
{
    /// <returns>The amount in <paramref name="baseCurrency"/> on <paramref name="on"/>, or null when no rate is known.</returns>
    Task<decimal?> ToBaseAsync(decimal amount, string currency, string baseCurrency, DateOnly on, CancellationToken ct);
}

/// <summary>No exchange rates yet: only amounts already in the base currency count.</summary>
internal sealed class BaseCurrencyOnly : IDealAmountConversion
{
    public Task<decimal?> ToBaseAsync(decimal amount, string currency, string baseCurrency, DateOnly on, CancellationToken ct) =>
        Task.FromResult<decimal?>(currency == baseCurrency ? amount : null);
}

/// <summary>Sums per stage from per-currency sums the database made (one GROUP BY stage, currency): what converts, and how many deals did not.</summary>
public static class DealTotals
{
    /// <summary>One group of the database's sums: the deals of a stage in one currency.</summary>
    public sealed record StageSum(Guid StageId, string Currency, int Count, int WithAmount, decimal Sum);

    /// <summary>The total of a column in the base currency (rounded to its minor units) and how many deals with an amount it leaves out.</summary>
    public sealed record Total(Money Amount, int NotConverted);

    public static async Task<Dictionary<Guid, Total>> PerStageAsync(
        IEnumerable<StageSum> sums, string baseCurrency, DateOnly today, IDealAmountConversion conversion, CancellationToken ct)
    {
        var totals = new Dictionary<Guid, Total>();
        foreach (var sum in sums)
        {
            var total = totals.GetValueOrDefault(sum.StageId) ?? new Total(new Money(0, baseCurrency), 0);
            var converted = sum.WithAmount == 0 ? 0 : await conversion.ToBaseAsync(sum.Sum, sum.Currency, baseCurrency, today, ct);
            totals[sum.StageId] = converted is { } amount
                ? total with { Amount = total.Amount + new Money(amount, baseCurrency) }
                : total with { NotConverted = total.NotConverted + sum.WithAmount };
        }

        return totals.ToDictionary(t => t.Key, t => t.Value with { Amount = t.Value.Amount.RoundedToMinorUnits() });
    }
}
