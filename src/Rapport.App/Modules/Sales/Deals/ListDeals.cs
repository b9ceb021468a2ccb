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

namespace Rapport.Modules.Sales.Deals;

/// <summary>Lists the deals the caller may read with the filter language, sort and keyset cursor; <c>trash=true</c> lists the trash.</summary>
public static class ListDeals
{
    public const string DefaultSort = "-createdAt";

    public static readonly FieldCatalog<Deal> Fields = new FieldCatalog<Deal>()
        .Id("id", d => d.Id)
        .Text("name", d => d.Name)
        .Number("amount", d => d.Amount)
        .Text("currency", d => d.Currency)
        .Date("closeDate", d => d.CloseDate)
        .Id("pipelineId", d => d.PipelineId)
        .Id("stageId", d => d.StageId)
        .Text("status", d => d.Status)
        .Text("lostReason", d => d.LostReason)
        .Id("companyId", d => d.CompanyId)
        .Id("ownerId", d => d.OwnerId)
        .Id("teamId", d => d.TeamId)
        .Text("nextStep", d => d.NextStep)
        .Text("forecastCategory", d => d.ForecastCategory)
        .Instant("stageEnteredAt", d => d.StageEnteredAt)
        .Instant("createdAt", d => d.CreatedAt)
        .Instant("updatedAt", d => d.UpdatedAt)
        .Instant("deletedAt", d => d.DeletedAt);

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Page<DealDto>> HandleAsync(ListRequest request, bool trash, CancellationToken ct)
        {
            var source = await SourceAsync(trash, ct);
            var page = await KeysetPager.PageAsync(source.Query, request, source.Fields, trash ? "-deletedAt" : DefaultSort, clock.GetUtcNow(), ct);
            var probabilities = await DealRules.ProbabilitiesAsync(db, ct);
            return new Page<DealDto>([.. page.Data.Select(d => DealDto.From(d, probabilities.GetValueOrDefault(d.StageId), source.Custom))], page.NextCursor);
        }

        /// <summary>The deals the caller may read (or the trash), with their contacts, and the fields they may filter and sort on.</summary>
        public async Task<ListSource<Deal>> SourceAsync(bool trash, CancellationToken ct)
        {
            var query = db.Set<Deal>().AsNoTracking().Include(d => d.Contacts).AsQueryable();
            if (trash)
            {
                query = query.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(d => d.DeletedAt != null);
            }

            query = await access.ScopeAsync(query, Deal.TypeName, AccessAction.Read, ct);
            var policy = await access.FieldsAsync(Deal.TypeName, ct);
            var custom = await CustomFieldSet.LoadAsync(db, Deal.TypeName, ct);
            var all = custom.Extend(Fields);
            return new ListSource<Deal>(query, policy.Hidden.Count == 0 ? all : all.Without(policy.IsHidden), custom, policy);
        }
    }

    public static void Map(RouteGroupBuilder deals) =>
        deals.MapGet("/", async (string? filter, string? sort, int? limit, string? cursor, bool? trash, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
                FieldMask.Json(http, await handler.HandleAsync(new ListRequest(filter, sort, limit, cursor), trash == true, ct), await access.FieldsAsync(Deal.TypeName, ct)))
            .WithName("ListDeals")
            .WithSummary("List deals")
            .WithDescription("filter: a JSON filter tree over name, amount, currency, closeDate, pipelineId, stageId, status (open, won, lost), lostReason, " +
                             "companyId, ownerId, teamId, nextStep, stageEnteredAt, createdAt, updatedAt and custom fields as custom.<key>. " +
                             "sort: e.g. -amount,name (default -createdAt). limit 1–200, cursor from nextCursor. trash=true lists the trash.")
            .Produces<Page<DealDto>>()
            .ProducesValidationProblem();
}
