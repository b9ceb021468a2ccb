using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Search;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Deals;

/// <summary>What global search finds deals by (name, next step, competitors), and how it shows them.</summary>
internal static class DealSearch
{
    public static IServiceCollection AddDealSearch(this IServiceCollection services) =>
        services.AddSearchSource<Deal, Titles>(Deal.TypeName, "/deals", s => s
            .Text("name", d => d.Name)
            .Text("nextStep", d => d.NextStep)
            .Texts("competitors", d => d.Competitors));

    /// <summary>The name; below it the amount, if the caller may see it.</summary>
    internal sealed class Titles : ISearchTitles<Deal>
    {
        public async Task<IReadOnlyList<SearchTitle>> TitlesAsync(IQueryable<Deal> records, FieldPolicy fields, CancellationToken ct) =>
            [.. (await records.Select(d => new { d.Id, d.Name, d.Amount, d.Currency }).ToListAsync(ct)).Select(d => new SearchTitle(d.Id, d.Name,
                fields.IsHidden("amount") || d.Amount is null ? null : $"{d.Amount.Value.ToString("N2", CultureInfo.CurrentCulture)} {d.Currency}"))];
    }
}
