using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>A person the workspace deals with: names, emails, phones, job title, and the companies they work for (one primary).</summary>
[EntityName(TypeName)]
public sealed class Contact : BusinessRecord, IOwnedRecord, IHasCustomFields, IMergedRecord
{
    public const string TypeName = "contact";
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 254;
    public const int PhoneMaxLength = 50;
    public const int JobTitleMaxLength = 200;
    public const int MaxEmails = 10;
    public const int MaxPhones = 10;
    public const int MaxCompanies = 20;
    public const int SourceMaxLength = 100;
    /// <summary>Languages a contact may prefer to be written to in.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "zh-Hans", "zh-Hant", "ja", "ko", "de", "fr", "es", "pt", "ru", "ar"];

    private Contact() { }

    /// <summary>Given name.</summary>
    public string? FirstName { get; private set; }
    /// <summary>Family name.</summary>
    public string? LastName { get; private set; }
    /// <summary>Lower-cased; the first is the primary one.</summary>
    public List<string> Emails { get; private set; } = [];
    /// <summary>E.164; the first is the primary one.</summary>
    public List<string> Phones { get; private set; } = [];
    /// <summary>The numbers as they were typed, for display, in the order of <see cref="Phones"/>.</summary>
    public List<string> PhonesAsTyped { get; private set; } = [];
    public string? JobTitle { get; private set; }
    public DateOnly? Birthday { get; private set; }
    /// <summary>The primary company; also one of <see cref="Companies"/>.</summary>
    public Guid? CompanyId { get; private set; }
    public List<ContactCompany> Companies { get; private set; } = [];
    public Guid? OwnerId { get; private set; }
    public Guid? TeamId { get; private set; }
    /// <summary>One of <see cref="Companies.Company.LifecycleStages"/>.</summary>
    public string? LifecycleStage { get; private set; }
    /// <summary>Where the contact came from (web form, trade fair, referral…).</summary>
    public string? Source { get; private set; }
    public string? PreferredLanguage { get; private set; }
    public List<string> Tags { get; private set; } = [];
    public string? Street { get; private set; }
    public string? City { get; private set; }
    public string? Region { get; private set; }
    public string? PostalCode { get; private set; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; private set; }
    /// <summary>Custom field values (JSON object, key → value), checked by <see cref="CustomFieldSet"/>.</summary>
    public string CustomFields { get; private set; } = CustomValues.Empty;

    public void SetCustomFields(string json) => CustomFields = json;
    /// <summary>Set when this contact was merged into another: it is then a tombstone in the trash pointing at the survivor.</summary>
    public Guid? MergedIntoId { get; private set; }
    /// <summary>What duplicates are found by (emails, phones, name at each company), kept in step by <see cref="Change"/>; load it with the contact before changing it.</summary>
    public List<ContactDuplicateKey> DuplicateKeys { get; private set; } = [];

    public static Contact Create(Guid workspaceId, ContactFields fields, IReadOnlyList<(string E164, string Typed)> phones)
    {
        var contact = new Contact(workspaceId);
        contact.Change(fields, phones);
        return contact;
    }

    private Contact(Guid workspaceId) : base(workspaceId) { }

    public void Change(ContactFields fields, IReadOnlyList<(string E164, string Typed)> phones)
    {
        FirstName = Blank(fields.FirstName);
        LastName = Blank(fields.LastName);
        Emails = NormalizeEmails(fields.Emails);
        Phones = [.. phones.Select(p => p.E164)];
        PhonesAsTyped = [.. phones.Select(p => p.Typed)];
        JobTitle = Blank(fields.JobTitle);
        Birthday = fields.Birthday;
        var companies = ContactFields.AllCompanies(fields);
        CompanyId = companies.FirstOrDefault() is var first && first != Guid.Empty ? first : null;
        Companies.RemoveAll(c => !companies.Contains(c.CompanyId));
        foreach (var id in companies.Where(id => Companies.All(c => c.CompanyId != id)))
        {
            Companies.Add(new ContactCompany(WorkspaceId, Id, id));
        }

        OwnerId = fields.OwnerId;
        TeamId = fields.TeamId;
        LifecycleStage = Blank(fields.LifecycleStage);
        Source = Blank(fields.Source);
        PreferredLanguage = Blank(fields.PreferredLanguage);
        Tags = [.. (fields.Tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        Street = Blank(fields.Address?.Street);
        City = Blank(fields.Address?.City);
        Region = Blank(fields.Address?.Region);
        PostalCode = Blank(fields.Address?.PostalCode);
        Country = Blank(fields.Address?.Country)?.ToUpperInvariant();
        RefreshDuplicateKeys();
    }

    /// <summary>Emails as stored: trimmed, lower-cased, without blanks and repeats.</summary>
    public static List<string> NormalizeEmails(IEnumerable<string>? emails) =>
        [.. (emails ?? []).Select(e => e.Trim().ToLowerInvariant()).Where(e => e.Length > 0).Distinct()];

    /// <summary>A company this contact works for was merged into <paramref name="survivorId"/>: the link (and the primary) move there, never twice.</summary>
    public void MoveCompany(Guid mergedId, Guid survivorId)
    {
        if (Companies.RemoveAll(c => c.CompanyId == mergedId) == 0)
        {
            return;
        }

        if (Companies.All(c => c.CompanyId != survivorId))
        {
            Companies.Add(new ContactCompany(WorkspaceId, Id, survivorId));
        }

        CompanyId = CompanyId == mergedId ? survivorId : CompanyId;
        RefreshDuplicateKeys();
    }

    /// <summary>Companies this contact worked for were purged from the trash: their links go, and the primary passes to the next company left.</summary>
    public void LeaveCompanies(IReadOnlyCollection<Guid> companyIds)
    {
        if (Companies.RemoveAll(c => companyIds.Contains(c.CompanyId)) == 0 && !(CompanyId is { } primary && companyIds.Contains(primary)))
        {
            return;
        }

        CompanyId = CompanyId is { } current && companyIds.Contains(current) ? Companies.FirstOrDefault()?.CompanyId : CompanyId;
        RefreshDuplicateKeys();
    }

    /// <summary>Leaves a tombstone: in the trash, pointing at the contact this one was merged into.</summary>
    public void MarkMergedInto(Guid survivorId, DateTimeOffset at, Guid? by)
    {
        MergedIntoId = survivorId;
        MoveToTrash(at, by);
    }

    private void RefreshDuplicateKeys()
    {
        var keys = ContactDuplicateKey.KeysOf(Emails, Phones, NameKeys.Person(FirstName, LastName), Companies.Select(c => c.CompanyId));
        DuplicateKeys.RemoveAll(k => !keys.Contains(k.Key));
        foreach (var key in keys.Where(k => DuplicateKeys.All(d => d.Key != k)))
        {
            DuplicateKeys.Add(new ContactDuplicateKey(WorkspaceId, Id, key));
        }
    }

    public ContactFields Fields => new(FirstName, LastName, Emails, PhonesAsTyped, JobTitle, Birthday, CompanyId,
        [.. Companies.Select(c => c.CompanyId)], OwnerId, TeamId, LifecycleStage, Source, PreferredLanguage, Tags,
        Address: Street is null && City is null && Region is null && PostalCode is null && Country is null ? null : new CompanyAddress(Street, City, Region, PostalCode, Country));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A company a contact works for.</summary>
public sealed class ContactCompany : IWorkspaceOwned
{
    private ContactCompany() { }

    internal ContactCompany(Guid workspaceId, Guid contactId, Guid companyId)
    {
        WorkspaceId = workspaceId;
        ContactId = contactId;
        CompanyId = companyId;
    }

    public Guid WorkspaceId { get; private init; }
    public Guid ContactId { get; private init; }
    public Guid CompanyId { get; private init; }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.ToTable("customers_contacts");
        b.HasKey(c => new { c.WorkspaceId, c.Id });
        b.Property(c => c.FirstName).HasMaxLength(Contact.NameMaxLength);
        b.Property(c => c.LastName).HasMaxLength(Contact.NameMaxLength);
        b.Property(c => c.JobTitle).HasMaxLength(Contact.JobTitleMaxLength);
        b.PrimitiveCollection(c => c.Emails);
        b.PrimitiveCollection(c => c.Phones);
        b.PrimitiveCollection(c => c.PhonesAsTyped);
        b.PrimitiveCollection(c => c.Tags);
        b.Property(c => c.LifecycleStage).HasMaxLength(20);
        b.Property(c => c.Source).HasMaxLength(Contact.SourceMaxLength);
        b.Property(c => c.PreferredLanguage).HasMaxLength(10);
        b.Property(c => c.Street).HasMaxLength(Company.StreetMaxLength);
        b.Property(c => c.City).HasMaxLength(Company.CityMaxLength);
        b.Property(c => c.Region).HasMaxLength(Company.RegionMaxLength);
        b.Property(c => c.PostalCode).HasMaxLength(Company.PostalCodeMaxLength);
        b.Property(c => c.Country).HasMaxLength(2);
        b.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(c => new { c.WorkspaceId, c.OwnerId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(c => new { c.WorkspaceId, c.TeamId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Company>().WithMany().HasForeignKey(c => new { c.WorkspaceId, c.CompanyId }).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Companies).WithOne().HasForeignKey(l => new { l.WorkspaceId, l.ContactId }).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.DuplicateKeys).WithOne().HasForeignKey(k => new { k.WorkspaceId, k.ContactId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.WorkspaceId, c.LastName, c.FirstName, c.Id });
        b.HasIndex(c => new { c.WorkspaceId, c.CreatedAt, c.Id });
        b.HasIndex(c => new { c.WorkspaceId, c.OwnerId });
        b.HasIndex(c => new { c.WorkspaceId, c.CompanyId });
    }
}

internal sealed class ContactCompanyConfiguration : IEntityTypeConfiguration<ContactCompany>
{
    public void Configure(EntityTypeBuilder<ContactCompany> b)
    {
        b.ToTable("customers_contact_companies");
        b.HasKey(l => new { l.WorkspaceId, l.ContactId, l.CompanyId });
        b.HasOne<Company>().WithMany().HasForeignKey(l => new { l.WorkspaceId, l.CompanyId }).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(l => new { l.WorkspaceId, l.CompanyId });
    }
}
