using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Leads;

/// <summary>The workspace's lead-scoring rules (by name) and lead-assignment rules (in the order they are tried).</summary>
public static class ListLeadRules
{
    public sealed record Rules<T>(IReadOnlyList<T> Data);

    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<Rules<LeadScoringRuleDto>>> ScoringAsync(CancellationToken ct) =>
            await CatalogAccess.RequireAsync<Rules<LeadScoringRuleDto>>(access, LeadScoringRule.TypeName, AccessAction.Read, "read lead-scoring rules", ct)
            ?? Outcome<Rules<LeadScoringRuleDto>>.Ok(new([.. (await db.Set<LeadScoringRule>().AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(ct))
                .Select(r => r.ToDto())]));

        public async Task<Outcome<Rules<LeadAssignmentRuleDto>>> AssignmentAsync(CancellationToken ct) =>
            await CatalogAccess.RequireAsync<Rules<LeadAssignmentRuleDto>>(access, LeadAssignmentRule.TypeName, AccessAction.Read, "read lead-assignment rules", ct)
            ?? Outcome<Rules<LeadAssignmentRuleDto>>.Ok(new([.. (await db.Set<LeadAssignmentRule>().AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct))
                .Select(r => r.ToDto())]));
    }

    public static void Map(RouteGroupBuilder scoring, RouteGroupBuilder assignment)
    {
        scoring.MapGet("/", async (Handler handler, CancellationToken ct) => (await handler.ScoringAsync(ct)).ToHttp("lead-scoring rules", TypedResults.Ok))
            .WithName("ListLeadScoringRules")
            .WithSummary("List lead-scoring rules")
            .Produces<Rules<LeadScoringRuleDto>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        assignment.MapGet("/", async (Handler handler, CancellationToken ct) => (await handler.AssignmentAsync(ct)).ToHttp("lead-assignment rules", TypedResults.Ok))
            .WithName("ListLeadAssignmentRules")
            .WithSummary("List lead-assignment rules in the order they are tried")
            .Produces<Rules<LeadAssignmentRuleDto>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }
}
