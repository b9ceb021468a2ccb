using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Search;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Leads;

/// <summary>What global search finds leads by (name, company name, emails, phones), and how it shows them.</summary>
internal static class LeadSearch
{
    public static IServiceCollection AddLeadSearch(this IServiceCollection services) =>
        services.AddSearchSource<Lead, Titles>(Lead.TypeName, "/leads", s => s
            .Text("name", l => Lead.NameOf(l.FirstName, l.LastName, null), "firstName", "lastName")
            .Text("companyName", l => l.CompanyName)
            .Emails("emails", l => l.Emails)
            .Phones("phones", l => l.Phones));

    /// <summary>The name; below it the company name, if the caller may see them.</summary>
    internal sealed class Titles : ISearchTitles<Lead>
    {
        public async Task<IReadOnlyList<SearchTitle>> TitlesAsync(IQueryable<Lead> records, FieldPolicy fields, CancellationToken ct) =>
            [.. (await records.Select(l => new { l.Id, l.FirstName, l.LastName, l.CompanyName }).ToListAsync(ct)).Select(l => new SearchTitle(l.Id,
                Lead.NameOf(fields.IsHidden("firstName") ? null : l.FirstName, fields.IsHidden("lastName") ? null : l.LastName,
                    fields.IsHidden("companyName") ? null : l.CompanyName),
                fields.IsHidden("companyName") ? null : l.CompanyName))];
    }
}
