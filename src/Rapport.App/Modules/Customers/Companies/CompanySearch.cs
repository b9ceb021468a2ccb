using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Search;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>What global search finds companies by, and how it shows them.</summary>
internal static class CompanySearch
{
    public static IServiceCollection AddCompanySearch(this IServiceCollection services) =>
        services.AddSearchSource<Company, Titles>(Company.TypeName, "/companies", s => s
            .Text("name", c => c.Name)
            .Domain("domain", c => c.Domain)
            .Domain("website", c => c.Website)
            .Phones("phone", c => [c.Phone])
            .Texts("tags", c => c.Tags)
            .Text("industry", c => c.Industry));

    /// <summary>The name; below it the domain or else the industry, if the caller may see them.</summary>
    internal sealed class Titles : ISearchTitles<Company>
    {
        public async Task<IReadOnlyList<SearchTitle>> TitlesAsync(IQueryable<Company> records, FieldPolicy fields, CancellationToken ct)
        {
            var companies = await records.Select(c => new { c.Id, c.Name, c.Domain, c.Industry }).ToListAsync(ct);
            return [.. companies.Select(c => new SearchTitle(
                c.Id,
                fields.IsHidden("name") ? "" : c.Name,
                (fields.IsHidden("domain") ? null : c.Domain) ?? (fields.IsHidden("industry") ? null : c.Industry)))];
        }
    }
}
