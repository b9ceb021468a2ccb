using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Sales.Leads;

/// <summary>
/// Who gets new leads that match a filter: one user, or a team's members in turn (round-robin). With a cap, a user already
/// owning that many open leads is skipped. Rules are tried in <see cref="Position"/> order on create, when no owner is given.
/// </summary>
[EntityName(TypeName)]
public sealed class LeadAssignmentRule : WorkspaceEntity, IOwnedRecord
{
    public const string TypeName = "lead-assignment-rule";
    public const int NameMaxLength = 100;
    public const int MaxRules = 100;
    public const int MaxCap = 100_000;

    private LeadAssignmentRule() { }

    private LeadAssignmentRule(Guid workspaceId) : base(workspaceId) { }

    public string Name { get; private set; } = "";
    public int Position { get; private set; }
    /// <summary>The filter tree as JSON; empty for every lead.</summary>
    public string Filter { get; private set; } = "";
    public Guid? UserId { get; private set; }
    public Guid? TeamId { get; private set; }
    /// <summary>Most open leads (new, working, qualified) a user may own for the rule to give them another.</summary>
    public int? MaxOpenLeads { get; private set; }
    public int Version { get; private set; } = 1;

    Guid? IOwnedRecord.OwnerId => null;
    Guid? IOwnedRecord.TeamId => null;

    public static LeadAssignmentRule Create(Guid workspaceId, LeadAssignmentRuleFields fields, int position)
    {
        var rule = new LeadAssignmentRule(workspaceId);
        rule.Change(fields, position);
        return rule;
    }

    public void Change(LeadAssignmentRuleFields fields, int position)
    {
        Name = fields.Name.Trim();
        Position = position;
        Filter = LeadRuleFilters.Normalize(fields.Filter);
        (UserId, TeamId) = (fields.UserId, fields.UserId is null ? fields.TeamId : null);
        MaxOpenLeads = fields.MaxOpenLeads;
    }

    public LeadAssignmentRuleDto ToDto() => new(Id, Name, Position, LeadRuleFilters.ToJson(Filter), UserId, TeamId, MaxOpenLeads, Version);
}

/// <param name="Position">Where the rule goes in the order (0 first); the end when left out.</param>
public sealed record LeadAssignmentRuleFields(
    string Name = "", System.Text.Json.JsonElement? Filter = null, Guid? UserId = null, Guid? TeamId = null, int? MaxOpenLeads = null, int? Position = null);

public sealed record LeadAssignmentRuleDto(
    Guid Id, string Name, int Position, System.Text.Json.JsonElement? Filter, Guid? UserId, Guid? TeamId, int? MaxOpenLeads, int Version)
{
    public LeadAssignmentRuleFields Fields => new(Name, Filter, UserId, TeamId, MaxOpenLeads, Position);
}

public sealed class LeadAssignmentRuleValidator : AbstractValidator<LeadAssignmentRuleFields>
{
    public LeadAssignmentRuleValidator()
    {
        RuleFor(r => r.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Give the rule a name.").MaximumLength(LeadAssignmentRule.NameMaxLength);
        RuleFor(r => r.Filter).Must(f => f is null or { ValueKind: System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Null })
            .WithMessage("The filter is a filter tree object, or null for every lead.");
        RuleFor(r => r).Must(r => (r.UserId is null) != (r.TeamId is null)).OverridePropertyName("userId")
            .WithMessage("Give the leads either to a user (userId) or to a team in turn (teamId).");
        RuleFor(r => r.MaxOpenLeads).InclusiveBetween(1, LeadAssignmentRule.MaxCap).WithMessage($"The cap is from 1 to {LeadAssignmentRule.MaxCap} open leads.");
        RuleFor(r => r.Position).GreaterThanOrEqualTo(0);
    }
}

internal sealed class LeadAssignmentRuleConfiguration : IEntityTypeConfiguration<LeadAssignmentRule>
{
    public void Configure(EntityTypeBuilder<LeadAssignmentRule> b)
    {
        b.ToTable("sales_lead_assignment_rules");
        b.HasKey(r => new { r.WorkspaceId, r.Id });
        b.Property(r => r.Name).HasMaxLength(LeadAssignmentRule.NameMaxLength);
        b.Property(r => r.Filter).HasMaxLength(LeadScoringRule.FilterMaxLength);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.WorkspaceId, r.Position });
    }
}

/// <summary>Runs the assignment rules for a new lead without an owner: the first rule that matches and has someone below its cap decides.</summary>
internal static class LeadAssignment
{
    public sealed record Choice(Guid RuleId, Guid OwnerId, Guid? TeamId);

    public static async Task<Choice?> ChooseAsync(RapportDbContext db, Lead lead, DateTimeOffset now, CancellationToken ct)
    {
        var rules = await db.Set<LeadAssignmentRule>().AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
        foreach (var rule in rules)
        {
            if (!LeadRuleFilters.Compile(rule.Filter, now)(lead))
            {
                continue;
            }

            // Active members only, in a stable order the turn goes round.
            var active = db.Memberships.Where(m => m.DeactivatedAt == null).Select(m => m.UserId);
            var candidates = (rule.UserId is { } user
                ? await active.Where(u => u == user).ToListAsync(ct)
                : await db.Set<TeamMember>().Where(m => m.TeamId == rule.TeamId && active.Contains(m.UserId)).Select(m => m.UserId).ToListAsync(ct)).Order().ToList();
            if (rule.MaxOpenLeads is { } cap && candidates.Count > 0)
            {
                var open = await db.Set<Lead>().Where(l => l.OwnerId != null && candidates.Contains(l.OwnerId.Value) && LeadStatus.Open.Contains(l.Status))
                    .GroupBy(l => l.OwnerId!.Value).Select(g => new { Owner = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Owner, g => g.Count, ct);
                candidates = [.. candidates.Where(c => open.GetValueOrDefault(c) < cap)];
            }

            if (candidates.Count == 0)
            {
                continue;
            }

            var next = candidates[0];
            if (rule.TeamId is not null && candidates.Count > 1)
            {
                // Round-robin: the member after the one this rule gave its last lead to.
                var last = await db.Set<Lead>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(l => l.AssignedByRuleId == rule.Id)
                    .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Select(l => l.OwnerId).FirstOrDefaultAsync(ct);
                next = candidates.FirstOrDefault(c => last is { } l && c.CompareTo(l) > 0, candidates[0]);
            }

            return new Choice(rule.Id, next, rule.TeamId);
        }

        return null;
    }
}
