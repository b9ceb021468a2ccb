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

namespace Rapport.Modules.Sales.Leads;

/// <summary>Lists the leads the caller may read with the filter language, sort and keyset cursor; <c>trash=true</c> lists the trash.</summary>
public static class ListLeads
{
    public const string DefaultSort = "-createdAt";

    /// <summary>The built-in fields lists, scoring rules and assignment rules filter on.</summary>
    public static readonly FieldCatalog<Lead> Fields = new FieldCatalog<Lead>()
        .Id("id", l => l.Id)
        .Text("firstName", l => l.FirstName)
        .Text("lastName", l => l.LastName)
        .Text("companyName", l => l.CompanyName)
        .Text("jobTitle", l => l.JobTitle)
        .Text("website", l => l.Website)
        .Text("source", l => l.Source)
        .Text("status", l => l.Status)
        .Text("rating", l => l.Rating)
        .Text("industry", l => l.Industry)
        .Text("size", l => l.Size)
        .Text("country", l => l.Country)
        .Text("territory", l => l.Territory)
        .Number("score", l => l.Score)
        .Id("ownerId", l => l.OwnerId)
        .Id("teamId", l => l.TeamId)
        .Id("convertedContactId", l => l.ConvertedContactId)
        .Id("convertedCompanyId", l => l.ConvertedCompanyId)
        .Id("convertedDealId", l => l.ConvertedDealId)
        .Instant("convertedAt", l => l.ConvertedAt)
        .Instant("createdAt", l => l.CreatedAt)
        .Instant("updatedAt", l => l.UpdatedAt)
        .Instant("deletedAt", l => l.DeletedAt);

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Page<LeadDto>> HandleAsync(ListRequest request, bool trash, CancellationToken ct)
        {
            var source = await SourceAsync(trash, ct);
            var now = clock.GetUtcNow();
            var page = await KeysetPager.PageAsync(source.Query, request, source.Fields, trash ? "-deletedAt" : DefaultSort, now, ct);
            var scorer = await LeadScorer.LoadAsync(db, now, ct);
            return new Page<LeadDto>([.. page.Data.Select(l => LeadDto.From(l, scorer.Score(l), source.Custom))], page.NextCursor);
        }

        /// <summary>The leads the caller may read (or the trash), and the fields they may filter and sort on.</summary>
        public async Task<ListSource<Lead>> SourceAsync(bool trash, CancellationToken ct)
        {
            var query = db.Set<Lead>().AsNoTracking();
            if (trash)
            {
                query = query.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(l => l.DeletedAt != null);
            }

            query = await access.ScopeAsync(query, Lead.TypeName, AccessAction.Read, ct);
            var policy = await access.FieldsAsync(Lead.TypeName, ct);
            var custom = await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct);
            var all = custom.Extend(Fields);
            return new ListSource<Lead>(query, policy.Hidden.Count == 0 ? all : all.Without(policy.IsHidden), custom, policy);
        }
    }

    public static void Map(RouteGroupBuilder leads) =>
        leads.MapGet("/", async (string? filter, string? sort, int? limit, string? cursor, bool? trash, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
                FieldMask.Json(http, await handler.HandleAsync(new ListRequest(filter, sort, limit, cursor), trash == true, ct), await access.FieldsAsync(Lead.TypeName, ct)))
            .WithName("ListLeads")
            .WithSummary("List leads")
            .WithDescription("filter: a JSON filter tree over firstName, lastName, companyName, jobTitle, website, source, status, rating, industry, size, country, " +
                             "territory, score (as of the lead's last change), ownerId, teamId, convertedContactId, convertedCompanyId, convertedDealId, convertedAt, " +
                             "createdAt, updatedAt and custom fields as custom.<key>. sort: e.g. -score,lastName (default -createdAt). limit 1–200, cursor from " +
                             "nextCursor. trash=true lists the trash.")
            .Produces<Page<LeadDto>>()
            .ProducesValidationProblem();
}
