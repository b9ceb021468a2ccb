using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Leads;

/// <summary>Changes a lead-assignment rule (JSON merge patch, If-Match); a new <c>position</c> moves it in the order.</summary>
public static class UpdateLeadAssignmentRule
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<LeadAssignmentRuleDto>> HandleAsync(
            Guid id, Func<LeadAssignmentRuleFields, Outcome<LeadAssignmentRuleFields>> change, IfMatch ifMatch, CancellationToken ct)
        {
            var (rule, refusal) = await CatalogAccess.LoadForAsync<LeadAssignmentRule, LeadAssignmentRuleDto>(
                db.Set<LeadAssignmentRule>(), access, LeadAssignmentRule.TypeName, id, AccessAction.Update, ct);
            if (rule is null)
            {
                return refusal!;
            }

            if (!ifMatch.Present)
            {
                return Outcome<LeadAssignmentRuleDto>.IfMatchRequired();
            }

            if (ifMatch.Version is { } expected && expected != rule.Version)
            {
                return Outcome<LeadAssignmentRuleDto>.Stale();
            }

            var changed = change(rule.ToDto().Fields);
            if (!changed.IsOk)
            {
                return changed.As<LeadAssignmentRuleDto>();
            }

            if (await LeadRuleChecks.CheckAsync(db, changed.Value!, ct) is { Count: > 0 } errors)
            {
                return Outcome<LeadAssignmentRuleDto>.Invalid(errors);
            }

            var rules = await db.Set<LeadAssignmentRule>().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
            CreateLeadAssignmentRule.Reorder(rules, rule, changed.Value!);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<LeadAssignmentRuleDto>.Stale();
            }

            return Outcome<LeadAssignmentRuleDto>.Ok(rule.ToDto());
        }
    }

    public static void Map(RouteGroupBuilder rules) =>
        rules.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, current => JsonBody.Merge(current, body), ETags.ReadIfMatch(http.Request), ct)).ToHttp("lead-assignment rule", r =>
                {
                    ETags.Set(http.Response, r.Version);
                    return TypedResults.Ok(r);
                }))
            .WithName("UpdateLeadAssignmentRule")
            .WithSummary("Change a lead-assignment rule (JSON merge patch, If-Match)")
            .Accepts<LeadAssignmentRuleFields>("application/merge-patch+json", "application/json")
            .Produces<LeadAssignmentRuleDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
