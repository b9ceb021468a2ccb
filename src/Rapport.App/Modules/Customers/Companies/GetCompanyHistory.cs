using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>A company's history from the audit log — who changed which field from what to what, when — for anyone who may read the company; hidden fields stay hidden.</summary>
public static class GetCompanyHistory
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<Page<AuditEntryDto>>> HandleAsync(Guid id, ListRequest request, CancellationToken ct)
        {
            var companies = db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter]);
            var company = await companies.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
            if (company is null || !await access.CanAsync(company, Company.TypeName, AccessAction.Read, ct))
            {
                return Outcome<Page<AuditEntryDto>>.NotFound();
            }

            var policy = await access.FieldsAsync(Company.TypeName, ct);
            var rows = db.AuditEntries.AsNoTracking().Where(a => a.EntityType == Company.TypeName && a.EntityId == id);
            var page = await KeysetPager.PageAsync(rows, request with { Filter = null }, AuditEntryDto.Fields, "-at", clock.GetUtcNow(), ct);
            return Outcome<Page<AuditEntryDto>>.Ok(new Page<AuditEntryDto>([.. page.Data.Select(a => AuditEntryDto.From(a, policy.IsHidden))], page.NextCursor));
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapGet("/{id:guid}/history", async (Guid id, int? limit, string? cursor, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(id, new ListRequest(null, null, limit, cursor), ct)).ToHttp("company", TypedResults.Ok))
            .WithName("GetCompanyHistory")
            .WithSummary("A company's change history, newest first")
            .Produces<Page<AuditEntryDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
