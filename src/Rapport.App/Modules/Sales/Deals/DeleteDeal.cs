using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Deals;

/// <summary>Moves a deal to the trash (If-Match) or brings it back (<c>restore</c>, restorable for 30 days).</summary>
public static class DeleteDeal
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<DealDto>> HandleAsync(Guid id, IfMatch ifMatch, bool restore, CancellationToken ct)
        {
            if (!ifMatch.Present && !restore)
            {
                return Outcome<DealDto>.IfMatchRequired();
            }

            var (deal, refusal) = await DealRules.LoadForAsync(db, access, id, AccessAction.Delete, restore, ct);
            if (deal is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != deal.Version)
            {
                return Outcome<DealDto>.Stale();
            }

            if (restore)
            {
                deal.Restore();
            }
            else
            {
                deal.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<DealDto>.Stale();
            }

            return Outcome<DealDto>.Ok(DealDto.From(deal, (await DealRules.ProbabilitiesAsync(db, ct)).GetValueOrDefault(deal.StageId),
                await CustomFieldSet.LoadAsync(db, Deal.TypeName, ct)));
        }
    }

    public static void Map(RouteGroupBuilder deals)
    {
        deals.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), false, ct)).ToHttp("deal", _ => TypedResults.NoContent()))
            .WithName("DeleteDeal")
            .WithSummary("Move a deal to the trash (If-Match)")
            .WithDescription("Restore with POST /deals/{id}/restore within 30 days; after that it is purged with its stage history. " +
                             "Its quotes, orders and contracts follow it: while it is in the trash they are not listed, read or changed, and they come back with it.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        deals.MapPost("/{id:guid}/restore", async (Guid id, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), true, ct);
                var policy = await access.FieldsAsync(Deal.TypeName, ct);
                return outcome.ToHttp("deal in the trash", d =>
                {
                    ETags.Set(http.Response, d.Version);
                    return FieldMask.Json(http, d, policy);
                });
            })
            .WithName("RestoreDeal")
            .WithSummary("Restore a deal from the trash")
            .Produces<DealDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }
}
