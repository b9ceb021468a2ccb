using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Data;
using Rapport.Kernel.Imports;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Kernel.Timeline;
using Rapport.Kernel.Views;

namespace Rapport.Modules.Sales.Leads;

/// <summary>Leads with their scoring and assignment rules, and their conversion into customer data and deals.</summary>
public static class LeadsSetup
{
    public static IServiceCollection AddSalesLeads(this IServiceCollection services) => services
        .AddAccessEntity<Lead>(Lead.TypeName, "Leads", "线索", LeadRules.RestrictableFields)
        // Settings, like pipelines: every built-in role reads them, administrators and sales managers manage them.
        .AddAccessSetting<LeadScoringRule>(LeadScoringRule.TypeName, "Lead-scoring rules", "线索评分规则")
        .AddAccessSetting<LeadAssignmentRule>(LeadAssignmentRule.TypeName, "Lead-assignment rules", "线索分配规则")
        .AddRecordType<LeadRecords>()
        .AddLeadSearch()
        .AddViewSchema<LeadViews>()
        .AddScoped<IRecordMergeParticipant, LeadLinks>()
        .AddImportTarget<LeadImport>(Lead.TypeName);

    public static void MapSalesLeads(this IEndpointRouteBuilder api)
    {
        var leads = api.MapGroup("/leads").WithTags("Leads");
        ListLeads.Map(leads);
        CreateLead.Map(leads);
        GetLead.Map(leads);
        UpdateLead.Map(leads);
        DeleteLead.Map(leads);
        ConvertLead.Map(leads);
        UndoLeadConversion.Map(leads);
        RecordTimeline.Map(leads, Lead.TypeName);

        var scoring = api.MapGroup("/lead-scoring-rules").WithTags("Lead rules");
        var assignment = api.MapGroup("/lead-assignment-rules").WithTags("Lead rules");
        ListLeadRules.Map(scoring, assignment);
        CreateLeadScoringRule.Map(scoring);
        UpdateLeadScoringRule.Map(scoring);
        CreateLeadAssignmentRule.Map(assignment);
        UpdateLeadAssignmentRule.Map(assignment);
        DeleteLeadRule.Map(scoring, assignment);
    }
}

/// <summary>A converted lead follows its contact or company when they are merged into another (audited on the lead, in the merge's transaction).</summary>
internal sealed class LeadLinks : IRecordMergeParticipant
{
    public async Task MoveAsync(RapportDbContext db, string entityType, Guid mergedId, Guid survivorId, CancellationToken ct)
    {
        var leads = db.Set<Lead>().IgnoreQueryFilters([RapportDbContext.TrashFilter]);
        var linked = entityType switch
        {
            "contact" => await leads.Where(l => l.ConvertedContactId == mergedId).ToListAsync(ct),
            "company" => await leads.Where(l => l.ConvertedCompanyId == mergedId).ToListAsync(ct),
            _ => [],
        };
        linked.ForEach(l => l.ReplaceLink(entityType, mergedId, survivorId));
    }
}
