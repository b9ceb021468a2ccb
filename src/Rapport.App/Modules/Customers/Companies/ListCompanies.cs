using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>Lists companies with the filter language, sort and keyset cursor; <c>trash=true</c> lists the trash.</summary>
public static class ListCompanies
{
    public const string DefaultSort = "-createdAt";

    public static readonly FieldCatalog<Company> Fields = new FieldCatalog<Company>()
        .Text("name", c => c.Name)
        .Text("domain", c => c.Domain)
        .Text("industry", c => c.Industry)
        .Text("phone", c => c.Phone)
        .Text("website", c => c.Website)
        .Text("address.city", c => c.City)
        .Text("address.region", c => c.Region)
        .Text("address.postalCode", c => c.PostalCode)
        .Text("address.country", c => c.Country)
        .Id("id", c => c.Id)
        .Id("ownerId", c => c.OwnerId)
        .Id("teamId", c => c.TeamId)
        .Id("parentCompanyId", c => c.ParentCompanyId)
        .Text("size", c => c.Size)
        .Text("lifecycleStage", c => c.LifecycleStage)
        .Number("annualRevenue", c => c.AnnualRevenue)
        .Instant("createdAt", c => c.CreatedAt)
        .Instant("updatedAt", c => c.UpdatedAt)
        .Instant("deletedAt", c => c.DeletedAt);

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Page<CompanyDto>> HandleAsync(ListRequest request, bool trash, CancellationToken ct)
        {
            var source = await SourceAsync(trash, ct);
            var page = await KeysetPager.PageAsync(source.Query, request, source.Fields, trash ? "-deletedAt" : DefaultSort, clock.GetUtcNow(), ct);
            return new Page<CompanyDto>([.. page.Data.Select(c => CompanyFieldSecurity.Mask(CompanyDto.From(c, source.Custom), source.Policy))], page.NextCursor);
        }

        /// <summary>How many readable companies matching <paramref name="filter"/> have each value of a single-select field (kanban column counts).</summary>
        public async Task<IReadOnlyDictionary<string, int>> CountByAsync(string? filter, string groupBy, CancellationToken ct)
        {
            var source = await SourceAsync(false, ct);
            return await GroupCounts.CountAsync(source.Query, filter, source.Fields, groupBy, clock.GetUtcNow(), ct);
        }

        /// <summary>The companies the caller may read (or the trash) and the fields they may filter and sort on; exports page through the same.</summary>
        public async Task<ListSource<Company>> SourceAsync(bool trash, CancellationToken ct)
        {
            var query = db.Set<Company>().AsNoTracking();
            if (trash)
            {
                query = query.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(c => c.DeletedAt != null && c.MergedIntoId == null);
            }

            query = await access.ScopeAsync(query, Company.TypeName, AccessAction.Read, ct);
            var policy = await access.FieldsAsync(Company.TypeName, ct);
            var custom = await CustomFieldSet.LoadAsync(db, Company.TypeName, ct);
            var all = custom.Extend(Fields);
            return new ListSource<Company>(query, policy.Hidden.Count == 0 ? all : all.Without(policy.IsHidden), custom, policy);
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapGet("/", async (string? filter, string? sort, int? limit, string? cursor, bool? trash, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
                FieldMask.Json(http, await handler.HandleAsync(new ListRequest(filter, sort, limit, cursor), trash == true, ct), await access.FieldsAsync(Company.TypeName, ct)))
            .WithName("ListCompanies")
            .WithSummary("List companies")
            .WithDescription("filter: a JSON filter tree, e.g. {\"field\":\"name\",\"op\":\"contains\",\"value\":\"acme\"}. " +
                             "sort: comma-separated fields, '-' for descending (default -createdAt). limit: 1–200 (default 50). " +
                             "cursor: nextCursor of the previous page. trash=true lists companies in the trash.")
            .Produces<Page<CompanyDto>>()
            .ProducesValidationProblem();
}
