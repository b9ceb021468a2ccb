using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Deals;

/// <summary>What every deal write checks: valid fields, links to this workspace's records, and the stage it enters.</summary>
internal static class DealRules
{
    /// <summary>Fields roles may hide or make read-only (<c>fields: {"deal": {"amount": "hidden"}}</c>).</summary>
    public static readonly string[] RestrictableFields =
        ["name", "amount", "currency", "closeDate", "pipelineId", "stageId", "lostReason", "companyId", "contacts", "ownerId", "teamId", "nextStep", "competitors", "forecastCategory"];

    public const string CompanyType = "company";
    public const string ContactType = "contact";

    /// <summary>The workspace's base currency: new deals are in it unless they say otherwise, and board totals are given in it.</summary>
    public static Task<string> BaseCurrencyAsync(RapportDbContext db, CancellationToken ct) =>
        db.RememberAsync("sales:base-currency", () => db.Workspaces.Where(w => w.Id == db.WorkspaceId).Select(w => w.BaseCurrency).SingleAsync(ct));

    /// <summary>Each stage's probability (retired stages too), remembered for the unit of work.</summary>
    public static Task<Dictionary<Guid, int>> ProbabilitiesAsync(RapportDbContext db, CancellationToken ct) =>
        db.RememberAsync("sales:probabilities", () => db.Set<PipelineStage>().AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Probability, ct));

    public static async Task<Dictionary<string, string[]>> CheckAsync(RapportDbContext db, RecordDirectory records, DealFields fields, CancellationToken ct)
    {
        var errors = new DealFieldsValidator().Validate(fields).Errors
            .GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        if (errors.Count > 0)
        {
            return errors;
        }

        if (fields.CompanyId is { } company && !(await ExistingAsync(records, CompanyType, [company], ct)).Contains(company))
        {
            errors["companyId"] = ["The company must be one of this workspace's companies."];
        }

        var contacts = (fields.Contacts ?? []).Select(c => c.ContactId).ToList();
        if (contacts.Count > 0 && (await ExistingAsync(records, ContactType, contacts, ct)).Count != contacts.Count)
        {
            errors["contacts"] = ["Every contact must be one of this workspace's contacts."];
        }

        if (fields.OwnerId is { } owner && !await db.Memberships.AnyAsync(m => m.UserId == owner, ct))
        {
            errors["ownerId"] = ["The owner must be a member of this workspace."];
        }

        if (fields.TeamId is { } team && !await db.Set<Team>().AnyAsync(t => t.Id == team, ct))
        {
            errors["teamId"] = ["The team must be one of this workspace's teams."];
        }

        return errors;
    }

    private static async Task<IReadOnlySet<Guid>> ExistingAsync(RecordDirectory records, string type, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        records.Find(type) is { } found ? await found.ExistingAsync(ids, ct) : new HashSet<Guid>();

    /// <summary>
    /// The stage a write puts the deal in (with its pipeline), or neither when it stays where it is. A new stage decides the
    /// pipeline; a new pipeline alone means its first open stage; a new deal naming neither goes to the first pipeline.
    /// </summary>
    public static async Task<(Pipeline? Pipeline, PipelineStage? Stage, Dictionary<string, string[]> Errors)> TargetAsync(
        RapportDbContext db, DealFields fields, Deal? current, CancellationToken ct)
    {
        if (current is not null && (fields.PipelineId is null || fields.StageId is null))
        {
            return (null, null, new() { [fields.PipelineId is null ? "pipelineId" : "stageId"] = ["A deal is always in a pipeline and one of its stages."] });
        }

        var stageChanged = fields.StageId is not null && fields.StageId != current?.StageId;
        var pipelineChanged = fields.PipelineId is not null && fields.PipelineId != current?.PipelineId;
        if (current is not null && !stageChanged && !pipelineChanged)
        {
            return (null, null, []);
        }

        var pipelines = PipelineRules.WithStages(db).AsNoTracking();
        if (stageChanged)
        {
            var stageId = fields.StageId!.Value;
            var holder = await pipelines.SingleOrDefaultAsync(p => p.Stages.Any(s => s.Id == stageId && s.RetiredAt == null), ct);
            if (holder is null)
            {
                return (null, null, new() { ["stageId"] = ["No current stage of this workspace's pipelines has this id."] });
            }

            return pipelineChanged && fields.PipelineId != holder.Id
                ? (null, null, new() { ["stageId"] = ["The stage is not one of this pipeline's stages."] })
                : (holder, holder.Stages.Single(s => s.Id == stageId), []);
        }

        var pipeline = fields.PipelineId is { } id
            ? await pipelines.SingleOrDefaultAsync(p => p.Id == id, ct)
            : await pipelines.OrderBy(p => p.Position).FirstOrDefaultAsync(ct);
        return pipeline is null
            ? (null, null, new() { ["pipelineId"] = ["No pipeline with this id in this workspace."] })
            : (pipeline, pipeline.FirstOpenStage, []);
    }

    /// <summary>A lost reason changed without a move: only a lost deal has one, and it is one of its pipeline's.</summary>
    public static async Task<Dictionary<string, string[]>> CheckLostReasonAsync(RapportDbContext db, Deal deal, string? lostReason, CancellationToken ct)
    {
        if (lostReason == deal.LostReason)
        {
            return [];
        }

        if (deal.Status != StageKinds.Lost)
        {
            return lostReason is null ? [] : new() { ["lostReason"] = ["Only a lost deal has a lost reason."] };
        }

        var reasons = await db.Set<Pipeline>().Where(p => p.Id == deal.PipelineId).Select(p => p.LostReasons).SingleAsync(ct);
        return reasons.Any(r => r.Key == lostReason?.Trim())
            ? []
            : new() { ["lostReason"] = [$"Say why the deal was lost: one of {string.Join(", ", reasons.Select(r => r.Key))}."] };
    }

    public static Task<(Deal? Deal, Outcome<DealDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, Guid id, AccessAction action, bool inTrash, CancellationToken ct)
    {
        var deals = inTrash ? db.Set<Deal>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(d => d.DeletedAt != null) : db.Set<Deal>();
        return RecordAccess.LoadForAsync<Deal, DealDto>(deals.Include(d => d.Contacts), access, Deal.TypeName, id, action, ct);
    }

    public static Task<Outcome<DealDto>?> CheckAssignmentAsync(IAccessControl access, ICurrentUser user, Deal? before, DealFields after, CancellationToken ct) =>
        RecordAccess.CheckAssignmentAsync<DealDto>(access, user, Deal.TypeName, before, after.OwnerId, after.TeamId, ct);
}
