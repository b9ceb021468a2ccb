using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Modules.Customers.Companies;

/// <summary>A customer organisation. Contacts, deals, tickets and orders hang on it.</summary>
[EntityName(TypeName)]
public sealed class Company : BusinessRecord, IOwnedRecord, IHasCustomFields, IMergedRecord
{
    /// <summary>The API and access-control name of the entity type.</summary>
    public const string TypeName = "company";
    public const int NameMaxLength = 200;
    public const int DomainMaxLength = 253;
    public const int IndustryMaxLength = 100;
    public const int PhoneMaxLength = 50;
    public const int WebsiteMaxLength = 2048;
    public const int StreetMaxLength = 300;
    public const int CityMaxLength = 100;
    public const int RegionMaxLength = 100;
    public const int PostalCodeMaxLength = 20;
    public const int TagMaxLength = 50;
    public const int MaxTags = 20;
    public const int MaxOtherAddresses = 10;
    public const int MaxSocialProfiles = 20;
    public const int AddressLabelMaxLength = 50;
    public const int NetworkMaxLength = 50;
    public const int HandleMaxLength = 300;
    /// <summary>Head-count bands a company's size is given in.</summary>
    public static readonly IReadOnlyList<string> Sizes = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"];
    /// <summary>Where the company stands with the workspace.</summary>
    public static readonly IReadOnlyList<string> LifecycleStages = ["lead", "prospect", "customer", "partner", "former"];

    private Company() { }

    public string Name { get; private set; } = "";
    /// <summary>Lower-case host name without scheme, unique per workspace among companies not in the trash.</summary>
    public string? Domain { get; private set; }
    public string? Industry { get; private set; }
    public string? Phone { get; private set; }
    public string? Website { get; private set; }
    public string? Street { get; private set; }
    public string? City { get; private set; }
    public string? Region { get; private set; }
    public string? PostalCode { get; private set; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; private set; }
    /// <summary>A member of the workspace (the database refuses anyone else).</summary>
    public Guid? OwnerId { get; private set; }
    /// <summary>The team the company belongs to, if any; members of it reach the company at level "team".</summary>
    public Guid? TeamId { get; private set; }
    public string? Size { get; private set; }
    public decimal? AnnualRevenue { get; private set; }
    /// <summary>ISO 4217 code of <see cref="AnnualRevenue"/>.</summary>
    public string? AnnualRevenueCurrency { get; private set; }
    /// <summary>The parent in a group of companies (never itself or one of its own subsidiaries).</summary>
    public Guid? ParentCompanyId { get; private set; }
    public string? LifecycleStage { get; private set; }
    public List<string> Tags { get; private set; } = [];
    /// <summary>Addresses beyond the main one (billing, warehouse, branch office…), each with a label.</summary>
    public List<LabeledAddress> OtherAddresses { get; private set; } = [];
    /// <summary>Profiles on any network: its name and the URL or handle there.</summary>
    public List<SocialProfile> SocialProfiles { get; private set; } = [];
    /// <summary>Custom field values (JSON object, key → value), checked by <see cref="CustomFieldSet"/>.</summary>
    public string CustomFields { get; private set; } = CustomValues.Empty;

    public void SetCustomFields(string json) => CustomFields = json;
    /// <summary>The name without case, punctuation and legal suffixes (<see cref="NameKeys.Company"/>): companies with equal keys are likely duplicates.</summary>
    [NotAudited]
    public string? NameKey { get; private set; }
    /// <summary>Set when this company was merged into another: it is then a tombstone in the trash pointing at the survivor.</summary>
    public Guid? MergedIntoId { get; private set; }

    public static Company Create(CompanyFields fields)
    {
        var company = new Company();
        company.Change(fields);
        return company;
    }

    public void Change(CompanyFields fields)
    {
        Name = fields.Name.Trim();
        NameKey = NameKeys.Company(Name);
        Domain = CompanyFields.NormalizeDomain(fields.Domain);
        Industry = Blank(fields.Industry);
        Phone = Blank(fields.Phone);
        Website = Blank(fields.Website);
        Street = Blank(fields.Address?.Street);
        City = Blank(fields.Address?.City);
        Region = Blank(fields.Address?.Region);
        PostalCode = Blank(fields.Address?.PostalCode);
        Country = Blank(fields.Address?.Country)?.ToUpperInvariant();
        OwnerId = fields.OwnerId;
        TeamId = fields.TeamId;
        Size = Blank(fields.Size);
        AnnualRevenue = fields.AnnualRevenue?.Amount;
        AnnualRevenueCurrency = fields.AnnualRevenue?.Currency.ToUpperInvariant();
        ParentCompanyId = fields.ParentCompanyId;
        LifecycleStage = Blank(fields.LifecycleStage);
        Tags = [.. (fields.Tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        OtherAddresses = [.. (fields.OtherAddresses ?? []).Select(a => new LabeledAddress(a.Label.Trim(), Blank(a.Street), Blank(a.City), Blank(a.Region),
            Blank(a.PostalCode), Blank(a.Country)?.ToUpperInvariant()))];
        SocialProfiles = [.. (fields.SocialProfiles ?? []).Select(p => new SocialProfile(p.Network.Trim(), p.Handle.Trim())).Distinct()];
    }

    /// <summary>A parent company was merged: its subsidiaries now hang on the survivor.</summary>
    public void ChangeParent(Guid? parentCompanyId) => ParentCompanyId = parentCompanyId;

    /// <summary>Leaves a tombstone: in the trash, pointing at the company this one was merged into.</summary>
    public void MarkMergedInto(Guid survivorId, DateTimeOffset at, Guid? by)
    {
        MergedIntoId = survivorId;
        MoveToTrash(at, by);
    }

    public CompanyFields Fields => new(Name, Domain, Industry, Phone, Website,
        new CompanyAddress(Street, City, Region, PostalCode, Country), OwnerId, TeamId,
        Size, AnnualRevenue is { } amount ? new CompanyRevenue(amount, AnnualRevenueCurrency!) : null, ParentCompanyId, LifecycleStage, Tags,
        OtherAddresses: OtherAddresses, SocialProfiles: SocialProfiles);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> b)
    {
        b.ToTable("customers_companies");
        b.HasKey(c => new { c.WorkspaceId, c.Id });
        b.Property(c => c.Name).HasMaxLength(Company.NameMaxLength);
        b.Property(c => c.Domain).HasMaxLength(Company.DomainMaxLength);
        b.Property(c => c.Industry).HasMaxLength(Company.IndustryMaxLength);
        b.Property(c => c.Phone).HasMaxLength(Company.PhoneMaxLength);
        b.Property(c => c.Website).HasMaxLength(Company.WebsiteMaxLength);
        b.Property(c => c.Street).HasMaxLength(Company.StreetMaxLength);
        b.Property(c => c.City).HasMaxLength(Company.CityMaxLength);
        b.Property(c => c.Region).HasMaxLength(Company.RegionMaxLength);
        b.Property(c => c.PostalCode).HasMaxLength(Company.PostalCodeMaxLength);
        b.Property(c => c.Country).HasMaxLength(2);
        b.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(c => new { c.WorkspaceId, c.OwnerId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(c => new { c.WorkspaceId, c.TeamId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Company>().WithMany().HasForeignKey(c => new { c.WorkspaceId, c.ParentCompanyId }).OnDelete(DeleteBehavior.Restrict);
        b.Property(c => c.Size).HasMaxLength(20);
        b.Property(c => c.AnnualRevenueCurrency).HasMaxLength(3);
        b.Property(c => c.LifecycleStage).HasMaxLength(20);
        b.PrimitiveCollection(c => c.Tags);
        b.Property(c => c.OtherAddresses).HasConversion(JsonList<LabeledAddress>.Converter, JsonList<LabeledAddress>.Comparer).HasDefaultValueSql("'[]'");
        b.Property(c => c.SocialProfiles).HasConversion(JsonList<SocialProfile>.Converter, JsonList<SocialProfile>.Comparer).HasDefaultValueSql("'[]'");
        b.HasIndex(c => new { c.WorkspaceId, c.ParentCompanyId });
        b.HasIndex(c => new { c.WorkspaceId, c.OwnerId });
        b.HasIndex(c => new { c.WorkspaceId, c.TeamId });
        b.HasIndex(c => new { c.WorkspaceId, c.Domain }).IsUnique().HasFilter("deleted_at IS NULL");
        b.HasIndex(c => new { c.WorkspaceId, c.Name, c.Id });
        b.HasIndex(c => new { c.WorkspaceId, c.CreatedAt, c.Id });
        b.HasIndex(c => new { c.WorkspaceId, c.DeletedAt });
        b.Property(c => c.NameKey).HasMaxLength(NameKeys.MaxLength);
        b.HasIndex(c => new { c.WorkspaceId, c.NameKey, c.Id });
        // (workspace_id, lower(name)), which imports match a company named in a row by, is an index on an expression:
        // EF Core cannot model one, so the CompanyNameLowerIndex migrations create it.
    }
}

/// <summary>A further address of a company, with what it is for.</summary>
public sealed record LabeledAddress(
    string Label, string? Street = null, string? City = null, string? Region = null, string? PostalCode = null, string? Country = null);

/// <summary>A company's profile on a social network: the network's name and the URL or handle there.</summary>
public sealed record SocialProfile(string Network, string Handle);

/// <summary>A list of small records kept as one JSON text column.</summary>
internal static class JsonList<T>
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<List<T>, string> Converter = new(
        v => System.Text.Json.JsonSerializer.Serialize(v, Json),
        v => System.Text.Json.JsonSerializer.Deserialize<List<T>>(v, Json) ?? new List<T>());

    public static readonly Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<T>> Comparer = new(
        (a, b) => System.Text.Json.JsonSerializer.Serialize(a, Json) == System.Text.Json.JsonSerializer.Serialize(b, Json),
        v => System.Text.Json.JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
        v => v.ToList());
}
