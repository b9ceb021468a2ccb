using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Leads;

public static class GetLead
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<LeadDto?> HandleAsync(Guid id, CancellationToken ct)
        {
            var visible = await access.ScopeAsync(db.Set<Lead>().AsNoTracking(), Lead.TypeName, AccessAction.Read, ct);
            return await visible.SingleOrDefaultAsync(l => l.Id == id, ct) is { } lead
                ? LeadDto.From(lead, (await LeadScorer.LoadAsync(db, clock.GetUtcNow(), ct)).Score(lead), await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct))
                : null;
        }
    }

    public static void Map(RouteGroupBuilder leads) =>
        leads.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } lead)
                {
                    return Problems.NotFoundProblem("lead");
                }

                ETags.Set(http.Response, lead.Version);
                return FieldMask.Json(http, lead, await access.FieldsAsync(Lead.TypeName, ct));
            })
            .WithName("GetLead")
            .WithSummary("Read a lead")
            .WithDescription("score and scoreBreakdown are computed now from the lead-scoring rules (with their decay); conversion links what the lead became.")
            .Produces<LeadDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
