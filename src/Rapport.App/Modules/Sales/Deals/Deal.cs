using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Deals;

/// <summary>
/// A sale being worked on: what it is worth, when it should close, where it stands in its pipeline, the company and the
/// people it is with. Enters stages only through <see cref="MoveTo"/>, which keeps its stage history.
/// </summary>
[EntityName(TypeName)]
public sealed class Deal : BusinessRecord, IOwnedRecord, IHasCustomFields
{
    public const string TypeName = "deal";
    public const int NameMaxLength = 200;
    public const int NextStepMaxLength = 500;
    public const int CompetitorMaxLength = 100;
    public const int MaxCompetitors = 20;
    public const int MaxContacts = 50;
    /// <summary>Largest amount accepted: 14 digits before the point, as the column (18 digits, 4 decimals) holds.</summary>
    public const decimal MaxAmount = 99_999_999_999_999m;

    private Deal() { }

    private Deal(Guid workspaceId) : base(workspaceId) { }

    public string Name { get; private set; } = "";
    public decimal? Amount { get; private set; }
    /// <summary>ISO 4217 code of <see cref="Amount"/>; the workspace's base currency unless given.</summary>
    public string Currency { get; private set; } = "";
    /// <summary>When the deal is expected to close (or closed).</summary>
    public DateOnly? CloseDate { get; private set; }
    public Guid PipelineId { get; private set; }
    public Guid StageId { get; private set; }
    /// <summary>The kind of the current stage (<see cref="StageKinds"/>): open, won or lost.</summary>
    public string Status { get; private set; } = StageKinds.Open;
    /// <summary>When the deal entered its current stage (the open row of its stage history).</summary>
    [NotAudited]
    public DateTimeOffset StageEnteredAt { get; private set; }
    /// <summary>A key of the pipeline's lost reasons, while the deal is lost.</summary>
    public string? LostReason { get; private set; }
    /// <summary>Any company of the workspace (linked through the record directory: companies belong to the customers module).</summary>
    public Guid? CompanyId { get; private set; }
    public List<DealContact> Contacts { get; private set; } = [];
    public Guid? OwnerId { get; private set; }
    public Guid? TeamId { get; private set; }
    public string? NextStep { get; private set; }
    public List<string> Competitors { get; private set; } = [];
    /// <summary>Where the user put the deal in the forecast (<see cref="ForecastCategories"/>); null: its stage's probability decides.</summary>
    public string? ForecastCategory { get; private set; }
    /// <summary>Custom field values (JSON object, key → value), checked by <see cref="CustomFieldSet"/>.</summary>
    public string CustomFields { get; private set; } = CustomValues.Empty;

    public void SetCustomFields(string json) => CustomFields = json;

    /// <summary>A new deal in <paramref name="stage"/>, with the first row of its stage history.</summary>
    public static (Deal Deal, DealStageVisit Visit) Create(Guid workspaceId, DealFields fields, PipelineStage stage, DateTimeOffset now, Guid? by)
    {
        var deal = new Deal(workspaceId);
        deal.Change(fields);
        return (deal, deal.MoveTo(stage, fields.LostReason, null, now, by));
    }

    /// <summary>Changes everything but the stage (see <see cref="MoveTo"/>) and the lost reason.</summary>
    public void Change(DealFields fields)
    {
        Name = fields.Name.Trim();
        Amount = fields.Amount is { } amount ? Math.Round(amount, Kernel.Money.StoredDecimals, MidpointRounding.AwayFromZero) : null;
        Currency = fields.Currency!.Trim().ToUpperInvariant();
        CloseDate = fields.CloseDate;
        CompanyId = fields.CompanyId;
        var contacts = (fields.Contacts ?? []).DistinctBy(c => c.ContactId).ToList();
        Contacts.RemoveAll(c => contacts.All(n => n.ContactId != c.ContactId));
        foreach (var contact in contacts)
        {
            if (Contacts.FirstOrDefault(c => c.ContactId == contact.ContactId) is { } kept)
            {
                kept.ChangeRole(contact.Role);
            }
            else
            {
                Contacts.Add(new DealContact(WorkspaceId, Id, contact.ContactId, contact.Role));
            }
        }

        OwnerId = fields.OwnerId;
        TeamId = fields.TeamId;
        NextStep = string.IsNullOrWhiteSpace(fields.NextStep) ? null : fields.NextStep.Trim();
        Competitors = [.. (fields.Competitors ?? []).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        ForecastCategory = fields.ForecastCategory;
    }

    /// <summary>
    /// Enters <paramref name="stage"/> (of this or another pipeline): closes the open row of the stage history and returns
    /// the new one, to be added. A lost stage keeps the lost reason; any other stage clears it.
    /// </summary>
    public DealStageVisit MoveTo(PipelineStage stage, string? lostReason, DealStageVisit? open, DateTimeOffset now, Guid? by)
    {
        open?.Leave(now);
        PipelineId = stage.PipelineId;
        StageId = stage.Id;
        Status = stage.Kind;
        StageEnteredAt = now;
        LostReason = stage.Kind == StageKinds.Lost ? lostReason?.Trim() : null;
        return new DealStageVisit(WorkspaceId, Id, stage.Id, now, by);
    }

    /// <summary>A lost deal's reason, changed without moving it.</summary>
    public void ChangeLostReason(string? lostReason) => LostReason = Status == StageKinds.Lost ? lostReason?.Trim() : null;

    /// <summary>A company this deal is with was merged into <paramref name="survivorId"/>, or purged (null).</summary>
    public void ReplaceCompany(Guid? survivorId) => CompanyId = survivorId;

    /// <summary>A contact of this deal was merged into <paramref name="survivorId"/> (kept once, with the role it had), or purged (null).</summary>
    public void ReplaceContact(Guid contactId, Guid? survivorId)
    {
        if (Contacts.FirstOrDefault(c => c.ContactId == contactId) is not { } link)
        {
            return;
        }

        Contacts.Remove(link);
        if (survivorId is { } survivor && Contacts.All(c => c.ContactId != survivor))
        {
            Contacts.Add(new DealContact(WorkspaceId, Id, survivor, link.Role));
        }
    }

    public DealFields Fields => new(Name, Amount, Currency, CloseDate, PipelineId, StageId, LostReason, CompanyId,
        [.. Contacts.Select(c => new DealContactFields(c.ContactId, c.Role))], OwnerId, TeamId, NextStep, Competitors, ForecastCategory: ForecastCategory);
}

/// <summary>A person at the customer taking part in a deal, and their part in it.</summary>
public sealed class DealContact : IWorkspaceOwned
{
    public const int RoleMaxLength = 30;
    /// <summary>The parts a contact may play in a deal.</summary>
    public static readonly IReadOnlyList<string> Roles = ["decision-maker", "economic-buyer", "champion", "influencer", "technical", "user", "other"];

    private DealContact() { }

    internal DealContact(Guid workspaceId, Guid dealId, Guid contactId, string? role)
    {
        WorkspaceId = workspaceId;
        DealId = dealId;
        ContactId = contactId;
        Role = role;
    }

    public Guid WorkspaceId { get; private init; }
    public Guid DealId { get; private init; }
    public Guid ContactId { get; private init; }
    public string? Role { get; private set; }

    internal void ChangeRole(string? role) => Role = role;
}

/// <summary>One stay of a deal in a stage: when it entered and left (open while it is still there), and who moved it there.</summary>
public sealed class DealStageVisit : WorkspaceEntity
{
    private DealStageVisit() { }

    internal DealStageVisit(Guid workspaceId, Guid dealId, Guid stageId, DateTimeOffset enteredAt, Guid? enteredBy) : base(workspaceId)
    {
        DealId = dealId;
        StageId = stageId;
        EnteredAt = enteredAt;
        EnteredBy = enteredBy;
    }

    public Guid DealId { get; private init; }
    public Guid StageId { get; private init; }
    public DateTimeOffset EnteredAt { get; private init; }
    public DateTimeOffset? LeftAt { get; private set; }
    public Guid? EnteredBy { get; private init; }

    /// <summary>How long the deal stayed (or has stayed so far).</summary>
    public TimeSpan TimeIn(DateTimeOffset now) => (LeftAt ?? now) - EnteredAt;

    internal void Leave(DateTimeOffset at) => LeftAt ??= at;
}

internal sealed class DealConfiguration : IEntityTypeConfiguration<Deal>
{
    public void Configure(EntityTypeBuilder<Deal> b)
    {
        b.ToTable("sales_deals");
        b.HasKey(d => new { d.WorkspaceId, d.Id });
        b.Property(d => d.Name).HasMaxLength(Deal.NameMaxLength);
        b.Property(d => d.Currency).HasMaxLength(3);
        b.Property(d => d.Status).HasMaxLength(10);
        b.Property(d => d.LostReason).HasMaxLength(LostReason.KeyMaxLength);
        b.Property(d => d.NextStep).HasMaxLength(Deal.NextStepMaxLength);
        b.Property(d => d.ForecastCategory).HasMaxLength(ForecastCategories.MaxLength);
        b.PrimitiveCollection(d => d.Competitors);
        b.HasOne<Workspace>().WithMany().HasForeignKey(d => d.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(d => new { d.WorkspaceId, d.OwnerId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(d => new { d.WorkspaceId, d.TeamId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Pipeline>().WithMany().HasForeignKey(d => new { d.WorkspaceId, d.PipelineId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PipelineStage>().WithMany().HasForeignKey(d => new { d.WorkspaceId, d.StageId }).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(d => d.Contacts).WithOne().HasForeignKey(c => new { c.WorkspaceId, c.DealId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.WorkspaceId, d.PipelineId, d.StageId });
        b.HasIndex(d => new { d.WorkspaceId, d.StageId });
        b.HasIndex(d => new { d.WorkspaceId, d.OwnerId });
        b.HasIndex(d => new { d.WorkspaceId, d.TeamId });
        b.HasIndex(d => new { d.WorkspaceId, d.CompanyId });
        b.HasIndex(d => new { d.WorkspaceId, d.CloseDate });
        b.HasIndex(d => new { d.WorkspaceId, d.Name, d.Id });
        b.HasIndex(d => new { d.WorkspaceId, d.CreatedAt, d.Id });
        b.HasIndex(d => new { d.WorkspaceId, d.DeletedAt });
    }
}

internal sealed class DealContactConfiguration : IEntityTypeConfiguration<DealContact>
{
    public void Configure(EntityTypeBuilder<DealContact> b)
    {
        b.ToTable("sales_deal_contacts");
        b.HasKey(c => new { c.WorkspaceId, c.DealId, c.ContactId });
        b.Property(c => c.Role).HasMaxLength(DealContact.RoleMaxLength);
        b.HasIndex(c => new { c.WorkspaceId, c.ContactId });
    }
}

internal sealed class DealStageVisitConfiguration : IEntityTypeConfiguration<DealStageVisit>
{
    public void Configure(EntityTypeBuilder<DealStageVisit> b)
    {
        b.ToTable("sales_deal_stage_history");
        b.HasKey(v => new { v.WorkspaceId, v.Id });
        b.HasOne<Deal>().WithMany().HasForeignKey(v => new { v.WorkspaceId, v.DealId }).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<PipelineStage>().WithMany().HasForeignKey(v => new { v.WorkspaceId, v.StageId }).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(v => new { v.WorkspaceId, v.DealId, v.EnteredAt });
        b.HasIndex(v => new { v.WorkspaceId, v.StageId });
    }
}
