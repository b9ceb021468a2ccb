using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Leads;

/// <summary>Moves a lead to the trash (If-Match) or brings it back (<c>restore</c>, restorable for 30 days).</summary>
public static class DeleteLead
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<LeadDto>> HandleAsync(Guid id, IfMatch ifMatch, bool restore, CancellationToken ct)
        {
            if (!ifMatch.Present && !restore)
            {
                return Outcome<LeadDto>.IfMatchRequired();
            }

            var (lead, refusal) = await LeadRules.LoadForAsync(db, access, id, AccessAction.Delete, restore, ct);
            if (lead is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != lead.Version)
            {
                return Outcome<LeadDto>.Stale();
            }

            if (restore)
            {
                lead.Restore();
            }
            else
            {
                lead.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<LeadDto>.Stale();
            }

            return Outcome<LeadDto>.Ok(LeadDto.From(lead, (await LeadScorer.LoadAsync(db, clock.GetUtcNow(), ct)).Score(lead),
                await CustomFieldSet.LoadAsync(db, Lead.TypeName, ct)));
        }
    }

    public static void Map(RouteGroupBuilder leads)
    {
        leads.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), false, ct)).ToHttp("lead", _ => TypedResults.NoContent()))
            .WithName("DeleteLead")
            .WithSummary("Move a lead to the trash (If-Match)")
            .WithDescription("Restore with POST /leads/{id}/restore within 30 days.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        leads.MapPost("/{id:guid}/restore", async (Guid id, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), true, ct);
                var policy = await access.FieldsAsync(Lead.TypeName, ct);
                return outcome.ToHttp("lead in the trash", l =>
                {
                    ETags.Set(http.Response, l.Version);
                    return FieldMask.Json(http, l, policy);
                });
            })
            .WithName("RestoreLead")
            .WithSummary("Restore a lead from the trash")
            .Produces<LeadDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }
}
