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

/// <summary>Adds a lead-assignment rule at <c>position</c> (the end by default); needs level "all" on lead-assignment rules.</summary>
public static class CreateLeadAssignmentRule
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public async Task<Outcome<LeadAssignmentRuleDto>> HandleAsync(LeadAssignmentRuleFields fields, CancellationToken ct)
        {
            if (await CatalogAccess.RequireAsync<LeadAssignmentRuleDto>(access, LeadAssignmentRule.TypeName, AccessAction.Create, "create lead-assignment rules", ct) is { } refused)
            {
                return refused;
            }

            if (await LeadRuleChecks.CheckAsync(db, fields, ct) is { Count: > 0 } errors)
            {
                return Outcome<LeadAssignmentRuleDto>.Invalid(errors);
            }

            var rules = await db.Set<LeadAssignmentRule>().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
            if (rules.Count >= LeadAssignmentRule.MaxRules)
            {
                return Outcome<LeadAssignmentRuleDto>.Conflict($"A workspace has at most {LeadAssignmentRule.MaxRules} lead-assignment rules.");
            }

            var rule = LeadAssignmentRule.Create(currentUser.WorkspaceId!.Value, fields, 0);
            db.Add(rule);
            Reorder(rules, rule, fields);
            await db.SaveChangesAsync(ct);
            return Outcome<LeadAssignmentRuleDto>.Ok(rule.ToDto());
        }
    }

    /// <summary>Puts <paramref name="rule"/> at its requested position among <paramref name="others"/> (the end by default) and numbers them all from 0.</summary>
    internal static void Reorder(List<LeadAssignmentRule> others, LeadAssignmentRule rule, LeadAssignmentRuleFields fields)
    {
        others.Remove(rule);
        others.Insert(Math.Clamp(fields.Position ?? others.Count, 0, others.Count), rule);
        for (var i = 0; i < others.Count; i++)
        {
            if (others[i] == rule || others[i].Position != i)
            {
                others[i].Change(others[i] == rule ? fields : others[i].ToDto().Fields, i);
            }
        }
    }

    public static void Map(RouteGroupBuilder rules) =>
        rules.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<LeadAssignmentRuleFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<LeadAssignmentRuleDto>.Invalid(fields.Errors);
                return outcome.ToHttp("lead-assignment rule", r =>
                {
                    ETags.Set(response, r.Version);
                    return TypedResults.Created($"/api/v1/lead-assignment-rules/{r.Id}", r);
                });
            })
            .WithName("CreateLeadAssignmentRule")
            .WithSummary("Create a lead-assignment rule")
            .WithDescription("Tried in position order when a lead is created without an owner: the first rule whose filter (null: every lead) matches " +
                             "gives the lead to userId, or to the members of teamId in turn (round-robin, the lead joins the team). With maxOpenLeads, " +
                             "users already owning that many new, working or qualified leads are skipped; a rule with nobody left lets the next rule try.")
            .Accepts<LeadAssignmentRuleFields>("application/json")
            .Produces<LeadAssignmentRuleDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
