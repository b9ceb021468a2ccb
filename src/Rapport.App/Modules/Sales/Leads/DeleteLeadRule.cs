using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Leads;

/// <summary>Deletes a lead-scoring or lead-assignment rule for good (If-Match); scores and owners it gave stay until the leads change.</summary>
public static class DeleteLeadRule
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public Task<Outcome<bool>> ScoringAsync(Guid id, IfMatch ifMatch, CancellationToken ct) =>
            DeleteAsync(db.Set<LeadScoringRule>(), LeadScoringRule.TypeName, id, ifMatch, r => r.Version, ct);

        public Task<Outcome<bool>> AssignmentAsync(Guid id, IfMatch ifMatch, CancellationToken ct) =>
            DeleteAsync(db.Set<LeadAssignmentRule>(), LeadAssignmentRule.TypeName, id, ifMatch, r => r.Version, ct);

        private async Task<Outcome<bool>> DeleteAsync<T>(IQueryable<T> rules, string entity, Guid id, IfMatch ifMatch, Func<T, int> version, CancellationToken ct)
            where T : Kernel.Entities.WorkspaceEntity
        {
            var (rule, refusal) = await CatalogAccess.LoadForAsync<T, bool>(rules, access, entity, id, AccessAction.Delete, ct);
            if (rule is null)
            {
                return refusal!;
            }

            if (!ifMatch.Present)
            {
                return Outcome<bool>.IfMatchRequired();
            }

            if (ifMatch.Version is { } expected && expected != version(rule))
            {
                return Outcome<bool>.Stale();
            }

            db.Remove(rule);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<bool>.Stale();
            }

            return Outcome<bool>.Ok(true);
        }
    }

    public static void Map(RouteGroupBuilder scoring, RouteGroupBuilder assignment)
    {
        scoring.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.ScoringAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("lead-scoring rule", _ => TypedResults.NoContent()))
            .WithName("DeleteLeadScoringRule")
            .WithSummary("Delete a lead-scoring rule (If-Match)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        assignment.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.AssignmentAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("lead-assignment rule", _ => TypedResults.NoContent()))
            .WithName("DeleteLeadAssignmentRule")
            .WithSummary("Delete a lead-assignment rule (If-Match)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }
}
