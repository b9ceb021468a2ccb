using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Sales.Leads;

/// <summary>
/// Someone who may buy, not yet a customer: who they are, where they came from, how warm they are. Worked through its
/// statuses, then converted (<see cref="Convert"/>) into a contact, a company and optionally a deal, which it keeps links to.
/// </summary>
[EntityName(TypeName)]
public sealed class Lead : BusinessRecord, IOwnedRecord, IHasCustomFields
{
    public const string TypeName = "lead";
    public const int NameMaxLength = 100;
    public const int CompanyNameMaxLength = 200;
    public const int EmailMaxLength = 254;
    public const int PhoneMaxLength = 50;
    public const int MaxEmails = 5;
    public const int MaxPhones = 5;
    public const int JobTitleMaxLength = 100;
    public const int WebsiteMaxLength = 2048;
    public const int IndustryMaxLength = 100;
    public const int TerritoryMaxLength = 100;
    public const int DescriptionMaxLength = 2000;

    public static readonly IReadOnlyList<string> Statuses = [LeadStatus.New, LeadStatus.Working, LeadStatus.Qualified, LeadStatus.Unqualified, LeadStatus.Converted];
    public static readonly IReadOnlyList<string> Ratings = ["hot", "warm", "cold"];
    public static readonly IReadOnlyList<string> Sources = ["web", "email", "phone", "referral", "event", "partner", "advertising", "social", "import", "other"];
    /// <summary>Head-count bands, as companies have them.</summary>
    public static readonly IReadOnlyList<string> Sizes = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"];

    private Lead() { }

    private Lead(Guid workspaceId) : base(workspaceId) { }

    public string? FirstName { get; private set; }
    public string? LastName { get; private set; }
    public string? CompanyName { get; private set; }
    /// <summary>Lower-cased; the first is the primary one.</summary>
    public List<string> Emails { get; private set; } = [];
    /// <summary>E.164 (read with the workspace's default country when typed without a country code).</summary>
    public List<string> Phones { get; private set; } = [];
    public string? JobTitle { get; private set; }
    public string? Website { get; private set; }
    public string? Source { get; private set; }
    public string Status { get; private set; } = LeadStatus.New;
    public string? Rating { get; private set; }
    public string? Industry { get; private set; }
    public string? Size { get; private set; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; private set; }
    /// <summary>The sales territory the lead falls in (free text, for assignment rules and filters).</summary>
    public string? Territory { get; private set; }
    public string? Description { get; private set; }
    public Guid? OwnerId { get; private set; }
    public Guid? TeamId { get; private set; }
    /// <summary>The score of the scoring rules as of the lead's last change (for sorting and filters; reads compute it afresh).</summary>
    [NotAudited]
    public int Score { get; private set; }
    /// <summary>The assignment rule that chose the owner when the lead was created, if one did (round-robin counts on it).</summary>
    public Guid? AssignedByRuleId { get; private set; }
    public string CustomFields { get; private set; } = CustomValues.Empty;

    /// <summary>What the lead became: the contact, company and deal its conversion made or linked.</summary>
    public Guid? ConvertedContactId { get; private set; }
    public Guid? ConvertedCompanyId { get; private set; }
    public Guid? ConvertedDealId { get; private set; }
    /// <summary>Which of the records above the conversion created (an undo removes those, never linked ones).</summary>
    [NotAudited]
    public bool ContactCreated { get; private set; }
    [NotAudited]
    public bool CompanyCreated { get; private set; }
    [NotAudited]
    public bool DealCreated { get; private set; }
    public DateTimeOffset? ConvertedAt { get; private set; }
    public Guid? ConvertedBy { get; private set; }
    /// <summary>The status the lead had before its conversion; an undo puts it back.</summary>
    [NotAudited]
    public string? StatusBeforeConversion { get; private set; }

    public bool IsConverted => Status == LeadStatus.Converted;

    public void SetCustomFields(string json) => CustomFields = json;

    public static Lead Create(Guid workspaceId, LeadFields fields, IReadOnlyList<string> phones, Guid? assignedByRuleId)
    {
        var lead = new Lead(workspaceId) { AssignedByRuleId = assignedByRuleId };
        lead.Change(fields, phones);
        return lead;
    }

    /// <summary>Changes the writable fields; the status only among the open ones (conversion is <see cref="Convert"/>).</summary>
    public void Change(LeadFields fields, IReadOnlyList<string> phones)
    {
        FirstName = Blank(fields.FirstName);
        LastName = Blank(fields.LastName);
        CompanyName = Blank(fields.CompanyName);
        Emails = [.. (fields.Emails ?? []).Select(e => e.Trim().ToLowerInvariant()).Where(e => e.Length > 0).Distinct()];
        Phones = [.. phones];
        JobTitle = Blank(fields.JobTitle);
        Website = Blank(fields.Website);
        Source = Blank(fields.Source);
        if (!IsConverted)
        {
            Status = Blank(fields.Status) ?? LeadStatus.New;
        }

        Rating = Blank(fields.Rating);
        Industry = Blank(fields.Industry);
        Size = Blank(fields.Size);
        Country = Blank(fields.Country)?.ToUpperInvariant();
        Territory = Blank(fields.Territory);
        Description = Blank(fields.Description);
        OwnerId = fields.OwnerId;
        TeamId = fields.TeamId;
    }

    public void Rescore(int score) => Score = score;

    public void Convert(Guid contactId, bool contactCreated, Guid? companyId, bool companyCreated, Guid? dealId, bool dealCreated, DateTimeOffset at, Guid? by)
    {
        StatusBeforeConversion = Status;
        Status = LeadStatus.Converted;
        (ConvertedContactId, ContactCreated) = (contactId, contactCreated);
        (ConvertedCompanyId, CompanyCreated) = (companyId, companyCreated);
        (ConvertedDealId, DealCreated) = (dealId, dealCreated);
        (ConvertedAt, ConvertedBy) = (at, by);
    }

    /// <summary>Forgets the conversion and goes back to the status the lead had before it.</summary>
    public void UndoConversion()
    {
        Status = StatusBeforeConversion ?? LeadStatus.Qualified;
        StatusBeforeConversion = null;
        (ConvertedContactId, ContactCreated) = (null, false);
        (ConvertedCompanyId, CompanyCreated) = (null, false);
        (ConvertedDealId, DealCreated) = (null, false);
        (ConvertedAt, ConvertedBy) = (null, null);
    }

    /// <summary>A contact, company or deal the lead links to was merged into <paramref name="survivorId"/>, or purged (null).</summary>
    public void ReplaceLink(string entityType, Guid id, Guid? survivorId)
    {
        if (entityType == "contact" && ConvertedContactId == id)
        {
            ConvertedContactId = survivorId;
        }
        else if (entityType == "company" && ConvertedCompanyId == id)
        {
            ConvertedCompanyId = survivorId;
        }
    }

    /// <summary>The name to show: the person's, else the company's.</summary>
    public string DisplayName => NameOf(FirstName, LastName, CompanyName);

    public static string NameOf(string? first, string? last, string? company)
    {
        var person = (last is { Length: > 0 } && last.Any(ch => ch is >= '\u4e00' and <= '\u9fff')) ? $"{last}{first}" : $"{first} {last}".Trim();
        return person.Length > 0 ? person : company ?? "";
    }

    public LeadFields Fields => new(FirstName, LastName, CompanyName, Emails, Phones, JobTitle, Website, Source, Status, Rating,
        Industry, Size, Country, Territory, Description, OwnerId, TeamId);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public static class LeadStatus
{
    public const string New = "new";
    public const string Working = "working";
    public const string Qualified = "qualified";
    public const string Unqualified = "unqualified";
    public const string Converted = "converted";

    /// <summary>Statuses of leads still being worked (what the assignment cap counts).</summary>
    public static readonly IReadOnlyList<string> Open = [New, Working, Qualified];
}

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> b)
    {
        b.ToTable("sales_leads");
        b.HasKey(l => new { l.WorkspaceId, l.Id });
        b.Property(l => l.FirstName).HasMaxLength(Lead.NameMaxLength);
        b.Property(l => l.LastName).HasMaxLength(Lead.NameMaxLength);
        b.Property(l => l.CompanyName).HasMaxLength(Lead.CompanyNameMaxLength);
        b.PrimitiveCollection(l => l.Emails);
        b.PrimitiveCollection(l => l.Phones);
        b.Property(l => l.JobTitle).HasMaxLength(Lead.JobTitleMaxLength);
        b.Property(l => l.Website).HasMaxLength(Lead.WebsiteMaxLength);
        b.Property(l => l.Source).HasMaxLength(20);
        b.Property(l => l.Status).HasMaxLength(20);
        b.Property(l => l.StatusBeforeConversion).HasMaxLength(20);
        b.Property(l => l.Rating).HasMaxLength(10);
        b.Property(l => l.Industry).HasMaxLength(Lead.IndustryMaxLength);
        b.Property(l => l.Size).HasMaxLength(20);
        b.Property(l => l.Country).HasMaxLength(2);
        b.Property(l => l.Territory).HasMaxLength(Lead.TerritoryMaxLength);
        b.Property(l => l.Description).HasMaxLength(Lead.DescriptionMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(l => l.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(l => new { l.WorkspaceId, l.OwnerId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(l => new { l.WorkspaceId, l.TeamId }).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(l => new { l.WorkspaceId, l.OwnerId, l.Status });
        b.HasIndex(l => new { l.WorkspaceId, l.TeamId });
        b.HasIndex(l => new { l.WorkspaceId, l.Status });
        b.HasIndex(l => new { l.WorkspaceId, l.AssignedByRuleId, l.OwnerId });
        b.HasIndex(l => new { l.WorkspaceId, l.Score, l.Id });
        b.HasIndex(l => new { l.WorkspaceId, l.LastName, l.Id });
        b.HasIndex(l => new { l.WorkspaceId, l.CreatedAt, l.Id });
        b.HasIndex(l => new { l.WorkspaceId, l.DeletedAt });
        b.HasIndex(l => new { l.WorkspaceId, l.ConvertedContactId });
        b.HasIndex(l => new { l.WorkspaceId, l.ConvertedCompanyId });
    }
}
