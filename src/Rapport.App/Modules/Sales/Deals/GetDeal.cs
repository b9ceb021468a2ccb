using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Deals;

public static class GetDeal
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<DealDto?> HandleAsync(Guid id, CancellationToken ct)
        {
            var visible = await access.ScopeAsync(db.Set<Deal>().AsNoTracking().Include(d => d.Contacts), Deal.TypeName, AccessAction.Read, ct);
            return await visible.SingleOrDefaultAsync(d => d.Id == id, ct) is { } deal
                ? DealDto.From(deal, (await DealRules.ProbabilitiesAsync(db, ct)).GetValueOrDefault(deal.StageId), await CustomFieldSet.LoadAsync(db, Deal.TypeName, ct))
                : null;
        }
    }

    public static void Map(RouteGroupBuilder deals) =>
        deals.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } deal)
                {
                    return Problems.NotFoundProblem("deal");
                }

                ETags.Set(http.Response, deal.Version);
                return FieldMask.Json(http, deal, await access.FieldsAsync(Deal.TypeName, ct));
            })
            .WithName("GetDeal")
            .WithSummary("Read a deal")
            .Produces<DealDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
