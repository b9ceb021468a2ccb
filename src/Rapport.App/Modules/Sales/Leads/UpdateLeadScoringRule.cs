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

/// <summary>Changes a lead-scoring rule (JSON merge patch, If-Match).</summary>
public static class UpdateLeadScoringRule
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<LeadScoringRuleDto>> HandleAsync(Guid id, Func<LeadScoringRuleFields, Outcome<LeadScoringRuleFields>> change, IfMatch ifMatch, CancellationToken ct)
        {
            var (rule, refusal) = await CatalogAccess.LoadForAsync<LeadScoringRule, LeadScoringRuleDto>(
                db.Set<LeadScoringRule>(), access, LeadScoringRule.TypeName, id, AccessAction.Update, ct);
            if (rule is null)
            {
                return refusal!;
            }

            if (!ifMatch.Present)
            {
                return Outcome<LeadScoringRuleDto>.IfMatchRequired();
            }

            if (ifMatch.Version is { } expected && expected != rule.Version)
            {
                return Outcome<LeadScoringRuleDto>.Stale();
            }

            var changed = change(rule.ToDto().Fields);
            if (!changed.IsOk)
            {
                return changed.As<LeadScoringRuleDto>();
            }

            if (LeadRuleChecks.Check(changed.Value!) is { Count: > 0 } errors)
            {
                return Outcome<LeadScoringRuleDto>.Invalid(errors);
            }

            rule.Change(changed.Value!);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<LeadScoringRuleDto>.Stale();
            }

            return Outcome<LeadScoringRuleDto>.Ok(rule.ToDto());
        }
    }

    public static void Map(RouteGroupBuilder rules) =>
        rules.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, current => JsonBody.Merge(current, body), ETags.ReadIfMatch(http.Request), ct)).ToHttp("lead-scoring rule", r =>
                {
                    ETags.Set(http.Response, r.Version);
                    return TypedResults.Ok(r);
                }))
            .WithName("UpdateLeadScoringRule")
            .WithSummary("Change a lead-scoring rule (JSON merge patch, If-Match)")
            .Accepts<LeadScoringRuleFields>("application/merge-patch+json", "application/json")
            .Produces<LeadScoringRuleDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
