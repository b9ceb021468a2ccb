using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Sales.Leads;

/// <summary>What a scoring or assignment rule must satisfy: its own fields, a filter that compiles over leads, a member or team of the workspace.</summary>
internal static class LeadRuleChecks
{
    private static readonly LeadScoringRuleValidator Scoring = new();
    private static readonly LeadAssignmentRuleValidator Assignment = new();

    public static Dictionary<string, string[]> Check(LeadScoringRuleFields fields) =>
        WithFilter(Errors(Scoring.Validate(fields)), fields.Filter);

    public static async Task<Dictionary<string, string[]>> CheckAsync(RapportDbContext db, LeadAssignmentRuleFields fields, CancellationToken ct)
    {
        var errors = WithFilter(Errors(Assignment.Validate(fields)), fields.Filter is { ValueKind: System.Text.Json.JsonValueKind.Object } ? fields.Filter : null);
        if (errors.Count == 0 && fields.UserId is { } user && !await db.Memberships.AnyAsync(m => m.UserId == user && m.DeactivatedAt == null, ct))
        {
            errors["userId"] = ["The user must be an active member of this workspace."];
        }

        if (errors.Count == 0 && fields.TeamId is { } team && !await db.Set<Team>().AnyAsync(t => t.Id == team, ct))
        {
            errors["teamId"] = ["The team must be one of this workspace's teams."];
        }

        return errors;
    }

    private static Dictionary<string, string[]> WithFilter(Dictionary<string, string[]> errors, System.Text.Json.JsonElement? filter)
    {
        if (!errors.ContainsKey("filter") && filter is not null && LeadRuleFilters.Check(filter) is { } problem)
        {
            errors["filter"] = [problem];
        }

        return errors;
    }

    private static Dictionary<string, string[]> Errors(FluentValidation.Results.ValidationResult result) =>
        result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => char.ToLowerInvariant(g.Key[0]) + g.Key[1..], g => g.Select(e => e.ErrorMessage).ToArray());
}
