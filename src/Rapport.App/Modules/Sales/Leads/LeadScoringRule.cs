using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Filtering;

namespace Rapport.Modules.Sales.Leads;

/// <summary>
/// Points a lead gets while it matches a filter (kernel filter language over the lead's built-in fields), optionally losing
/// <see cref="DecayPercent"/> % of them for every <see cref="DecayEveryDays"/> days since the lead was created or last changed.
/// Workspace configuration: no owner, so only level "all" reaches it.
/// </summary>
[EntityName(TypeName)]
public sealed class LeadScoringRule : WorkspaceEntity, IOwnedRecord
{
    public const string TypeName = "lead-scoring-rule";
    public const int NameMaxLength = 100;
    public const int FilterMaxLength = 8000;
    public const int MaxPoints = 1000;
    public const int MaxRules = 100;
    public const int MaxDecayDays = 3650;
    public const string FromCreated = "created";
    public const string FromLastActivity = "lastActivity";

    private LeadScoringRule() { }

    private LeadScoringRule(Guid workspaceId) : base(workspaceId) { }

    public string Name { get; private set; } = "";
    /// <summary>The filter tree as JSON.</summary>
    public string Filter { get; private set; } = "";
    /// <summary>May be negative (a free mail address, say, lowers the score).</summary>
    public int Points { get; private set; }
    public int? DecayPercent { get; private set; }
    public int? DecayEveryDays { get; private set; }
    /// <summary><see cref="FromCreated"/> or <see cref="FromLastActivity"/> (the lead's last change).</summary>
    public string DecayFrom { get; private set; } = FromCreated;
    public int Version { get; private set; } = 1;

    Guid? IOwnedRecord.OwnerId => null;
    Guid? IOwnedRecord.TeamId => null;

    public static LeadScoringRule Create(Guid workspaceId, LeadScoringRuleFields fields)
    {
        var rule = new LeadScoringRule(workspaceId);
        rule.Change(fields);
        return rule;
    }

    public void Change(LeadScoringRuleFields fields)
    {
        Name = fields.Name.Trim();
        Filter = LeadRuleFilters.Normalize(fields.Filter);
        Points = fields.Points;
        (DecayPercent, DecayEveryDays) = fields.DecayPercent is > 0 ? (fields.DecayPercent, fields.DecayEveryDays) : (null, null);
        DecayFrom = fields.DecayFrom ?? FromCreated;
    }

    /// <summary>What is left of <see cref="Points"/> for a lead created (or last changed) at <paramref name="since"/>: X % less per N days, never below 0.</summary>
    public int PointsAt(DateTimeOffset since, DateTimeOffset now)
    {
        if (DecayPercent is not { } percent || DecayEveryDays is not { } days)
        {
            return Points;
        }

        var periods = Math.Max(0, Math.Floor((now - since).TotalDays / days));
        var factor = Math.Max(0m, 1m - percent / 100m * (decimal)periods);
        return (int)Math.Round(Points * factor, MidpointRounding.AwayFromZero);
    }

    public LeadScoringRuleDto ToDto() => new(Id, Name, LeadRuleFilters.ToJson(Filter), Points, DecayPercent, DecayEveryDays, DecayFrom, Version);
}

public sealed record LeadScoringRuleFields(
    string Name = "", System.Text.Json.JsonElement? Filter = null, int Points = 0, int? DecayPercent = null, int? DecayEveryDays = null, string? DecayFrom = null);

public sealed record LeadScoringRuleDto(
    Guid Id, string Name, System.Text.Json.JsonElement? Filter, int Points, int? DecayPercent, int? DecayEveryDays, string DecayFrom, int Version)
{
    public LeadScoringRuleFields Fields => new(Name, Filter, Points, DecayPercent, DecayEveryDays, DecayFrom);
}

public sealed class LeadScoringRuleValidator : AbstractValidator<LeadScoringRuleFields>
{
    public LeadScoringRuleValidator()
    {
        RuleFor(r => r.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage("Give the rule a name.").MaximumLength(LeadScoringRule.NameMaxLength);
        RuleFor(r => r.Filter).Must(f => f is { ValueKind: System.Text.Json.JsonValueKind.Object })
            .WithMessage("Say which leads the rule scores: a filter such as {\"field\":\"rating\",\"op\":\"eq\",\"value\":\"hot\"}.");
        RuleFor(r => r.Points).InclusiveBetween(-LeadScoringRule.MaxPoints, LeadScoringRule.MaxPoints).NotEqual(0)
            .WithMessage($"Points are a whole number from -{LeadScoringRule.MaxPoints} to {LeadScoringRule.MaxPoints}, not 0.");
        RuleFor(r => r.DecayPercent).InclusiveBetween(0, 100).WithMessage("Decay is a percentage from 0 to 100.");
        RuleFor(r => r.DecayEveryDays).NotNull().When(r => r.DecayPercent is > 0).WithMessage("Say after how many days the points decay.")
            .InclusiveBetween(1, LeadScoringRule.MaxDecayDays).WithMessage($"Decay every 1 to {LeadScoringRule.MaxDecayDays} days.");
        RuleFor(r => r.DecayFrom).Must(f => f is null or LeadScoringRule.FromCreated or LeadScoringRule.FromLastActivity)
            .WithMessage($"Decay counts from {LeadScoringRule.FromCreated} or {LeadScoringRule.FromLastActivity}.");
    }
}

internal sealed class LeadScoringRuleConfiguration : IEntityTypeConfiguration<LeadScoringRule>
{
    public void Configure(EntityTypeBuilder<LeadScoringRule> b)
    {
        b.ToTable("sales_lead_scoring_rules");
        b.HasKey(r => new { r.WorkspaceId, r.Id });
        b.Property(r => r.Name).HasMaxLength(LeadScoringRule.NameMaxLength);
        b.Property(r => r.Filter).HasMaxLength(LeadScoringRule.FilterMaxLength);
        b.Property(r => r.DecayFrom).HasMaxLength(20);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasOne<Kernel.Workspaces.Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>A lead's score: the sum of the matching rules' points after decay, and each rule's part.</summary>
public sealed record LeadScore(int Total, IReadOnlyList<ScorePart> Parts)
{
    public static readonly LeadScore None = new(0, []);
}

/// <summary>The workspace's scoring rules, compiled once per unit of work for the time they score at.</summary>
public sealed class LeadScorer
{
    private readonly IReadOnlyList<(LeadScoringRule Rule, Func<Lead, bool> Matches)> _rules;
    private readonly DateTimeOffset _now;

    public LeadScorer(IEnumerable<LeadScoringRule> rules, DateTimeOffset now)
    {
        _now = now;
        _rules = [.. rules.Select(r => (r, LeadRuleFilters.Compile(r.Filter, now)))];
    }

    public static Task<LeadScorer> LoadAsync(RapportDbContext db, DateTimeOffset now, CancellationToken ct) =>
        db.RememberAsync("sales:lead-scorer", async () =>
            new LeadScorer(await db.Set<LeadScoringRule>().AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(ct), now));

    /// <param name="changing">The lead is being written now: its last activity is now, and a new one is created now.</param>
    public LeadScore Score(Lead lead, bool changing = false)
    {
        var created = lead.CreatedAt == default ? _now : lead.CreatedAt;
        var lastActivity = changing || lead.UpdatedAt == default ? _now : lead.UpdatedAt;
        var parts = _rules.Where(r => r.Matches(lead))
            .Select(r => new ScorePart(r.Rule.Id, r.Rule.Name, r.Rule.Points,
                r.Rule.PointsAt(r.Rule.DecayFrom == LeadScoringRule.FromLastActivity ? lastActivity : created, _now)))
            .ToList();
        return parts.Count == 0 ? LeadScore.None : new LeadScore(parts.Sum(p => p.Applied), parts);
    }
}

/// <summary>Filters of lead rules: the kernel filter language over the lead's built-in fields, evaluated in memory on one lead.</summary>
internal static class LeadRuleFilters
{
    public static string Normalize(System.Text.Json.JsonElement? filter) => filter is { } f ? f.GetRawText() : "";

    public static System.Text.Json.JsonElement? ToJson(string? filter) =>
        string.IsNullOrEmpty(filter) ? null : System.Text.Json.JsonDocument.Parse(filter).RootElement.Clone();

    /// <summary>Null when the filter compiles, else why not.</summary>
    public static string? Check(System.Text.Json.JsonElement? filter)
    {
        try
        {
            _ = FilterCompiler.Compile(Normalize(filter), ListLeads.Fields, DateTimeOffset.UnixEpoch);
            return Normalize(filter).Length > LeadScoringRule.FilterMaxLength ? $"The filter is longer than {LeadScoringRule.FilterMaxLength} characters." : null;
        }
        catch (FilterException e)
        {
            return e.Message;
        }
    }

    public static Func<Lead, bool> Compile(string filter, DateTimeOffset now) =>
        string.IsNullOrEmpty(filter) ? _ => true : FilterCompiler.Compile(filter, ListLeads.Fields, now).Compile();
}
