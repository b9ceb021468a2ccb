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

/// <summary>Adds a lead-scoring rule; needs level "all" on lead-scoring rules (administrators and sales managers by default).</summary>
public static class CreateLeadScoringRule
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public async Task<Outcome<LeadScoringRuleDto>> HandleAsync(LeadScoringRuleFields fields, CancellationToken ct)
        {
            if (await CatalogAccess.RequireAsync<LeadScoringRuleDto>(access, LeadScoringRule.TypeName, AccessAction.Create, "create lead-scoring rules", ct) is { } refused)
            {
                return refused;
            }

            if (LeadRuleChecks.Check(fields) is { Count: > 0 } errors)
            {
                return Outcome<LeadScoringRuleDto>.Invalid(errors);
            }

            if (await db.Set<LeadScoringRule>().CountAsync(ct) >= LeadScoringRule.MaxRules)
            {
                return Outcome<LeadScoringRuleDto>.Conflict($"A workspace has at most {LeadScoringRule.MaxRules} lead-scoring rules.");
            }

            var rule = LeadScoringRule.Create(currentUser.WorkspaceId!.Value, fields);
            db.Add(rule);
            await db.SaveChangesAsync(ct);
            return Outcome<LeadScoringRuleDto>.Ok(rule.ToDto());
        }
    }

    public static void Map(RouteGroupBuilder rules) =>
        rules.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<LeadScoringRuleFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<LeadScoringRuleDto>.Invalid(fields.Errors);
                return outcome.ToHttp("lead-scoring rule", r =>
                {
                    ETags.Set(response, r.Version);
                    return TypedResults.Created($"/api/v1/lead-scoring-rules/{r.Id}", r);
                });
            })
            .WithName("CreateLeadScoringRule")
            .WithSummary("Create a lead-scoring rule")
            .WithDescription("A lead matching filter (the filter language over the lead's built-in fields, as GET /leads takes) gets points (-1000–1000, not 0). " +
                             "With decayPercent and decayEveryDays the points lose that percentage for every full period since the lead was created " +
                             "(decayFrom created) or last changed (lastActivity), down to 0. Scores are computed when a lead is read and stored when it changes.")
            .Accepts<LeadScoringRuleFields>("application/json")
            .Produces<LeadScoringRuleDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
