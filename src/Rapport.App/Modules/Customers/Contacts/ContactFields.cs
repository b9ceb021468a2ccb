using System.Text.Json;
using FluentValidation;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel;
using Rapport.Modules.Customers.Companies;
using PhoneNumbers;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>
/// The writable fields of a contact (API names of DESIGN.md): <c>firstName</c> (given), <c>lastName</c>
/// (family), <c>emails</c> and <c>phones</c> (first is primary), <c>companyId</c> (primary) and <c>companyIds</c>.
/// </summary>
public sealed record ContactFields(
    string? FirstName = null, string? LastName = null, IReadOnlyList<string>? Emails = null, IReadOnlyList<string>? Phones = null,
    string? JobTitle = null, DateOnly? Birthday = null, Guid? CompanyId = null, IReadOnlyList<Guid>? CompanyIds = null,
    Guid? OwnerId = null, Guid? TeamId = null, string? LifecycleStage = null, string? Source = null, string? PreferredLanguage = null,
    IReadOnlyList<string>? Tags = null, IReadOnlyDictionary<string, JsonElement>? Custom = null, CompanyAddress? Address = null)
{
    /// <summary>The primary company first, then the others, without repeats.</summary>
    public static List<Guid> AllCompanies(ContactFields fields) =>
        [.. new[] { fields.CompanyId }.OfType<Guid>().Concat(fields.CompanyIds ?? []).Distinct()];
}

public sealed class ContactFieldsValidator : AbstractValidator<ContactFields>
{
    public ContactFieldsValidator()
    {
        RuleFor(c => c).Must(c => !string.IsNullOrWhiteSpace(c.FirstName) || !string.IsNullOrWhiteSpace(c.LastName))
            .WithName("lastName").OverridePropertyName("lastName").WithMessage("Give the contact a first or a last name.");
        RuleFor(c => c.FirstName).MaximumLength(Contact.NameMaxLength);
        RuleFor(c => c.LastName).MaximumLength(Contact.NameMaxLength);
        RuleFor(c => c.JobTitle).MaximumLength(Contact.JobTitleMaxLength);
        RuleFor(c => c.Emails).Must(e => e is null || e.Count <= Contact.MaxEmails).WithMessage($"At most {Contact.MaxEmails} emails.");
        RuleForEach(c => c.Emails).MaximumLength(Contact.EmailMaxLength).EmailAddress().WithMessage("'{PropertyValue}' is not a valid email address.");
        RuleFor(c => c.Phones).Must(p => p is null || p.Count <= Contact.MaxPhones).WithMessage($"At most {Contact.MaxPhones} phones.");
        RuleForEach(c => c.Phones).MaximumLength(Contact.PhoneMaxLength);
        RuleFor(c => c).Must(c => ContactFields.AllCompanies(c).Count <= Contact.MaxCompanies)
            .OverridePropertyName("companyIds").WithMessage($"At most {Contact.MaxCompanies} companies.");
        RuleFor(c => c.LifecycleStage).Must(s => string.IsNullOrWhiteSpace(s) || Companies.Company.LifecycleStages.Contains(s.Trim()))
            .WithMessage($"Lifecycle stage must be one of: {string.Join(", ", Companies.Company.LifecycleStages)}.");
        RuleFor(c => c.Source).MaximumLength(Contact.SourceMaxLength);
        RuleFor(c => c.PreferredLanguage).Must(l => string.IsNullOrWhiteSpace(l) || Contact.Languages.Contains(l.Trim()))
            .WithMessage($"Preferred language must be one of: {string.Join(", ", Contact.Languages)}.");
        RuleFor(c => c.Tags).Must(t => t is null || t.Count <= Companies.Company.MaxTags).WithMessage($"At most {Companies.Company.MaxTags} tags.");
        RuleForEach(c => c.Tags).MaximumLength(Companies.Company.TagMaxLength);
        When(c => c.Address is not null, () =>
        {
            RuleFor(c => c.Address!.Street).MaximumLength(Company.StreetMaxLength);
            RuleFor(c => c.Address!.City).MaximumLength(Company.CityMaxLength);
            RuleFor(c => c.Address!.Region).MaximumLength(Company.RegionMaxLength);
            RuleFor(c => c.Address!.PostalCode).MaximumLength(Company.PostalCodeMaxLength);
            RuleFor(c => c.Address!.Country).Must(c => string.IsNullOrWhiteSpace(c) || Countries.IsKnown(c.Trim().ToUpperInvariant()))
                .WithMessage("Country must be an ISO 3166 two-letter code, such as CN or DE.");
        });
        RuleFor(c => c.Birthday).Must(b => b is null || b.Value <= DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1)))
            .WithMessage("Birthday cannot be in the future.");
    }
}

/// <summary>Phone numbers in E.164 with libphonenumber; numbers without a country code are read with the workspace's default country.</summary>
public static class ContactPhones
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    public static (List<(string E164, string Typed)> Phones, Dictionary<string, string[]> Errors) Normalize(IReadOnlyList<string>? typed, string defaultCountry)
    {
        var phones = new List<(string, string)>();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < (typed?.Count ?? 0); i++)
        {
            var raw = typed![i]?.Trim() ?? "";
            if (raw.Length == 0)
            {
                continue;
            }

            try
            {
                var number = Numbers.Parse(raw, defaultCountry);
                if (Numbers.IsValidNumber(number))
                {
                    var e164 = Numbers.Format(number, PhoneNumberFormat.E164);
                    if (phones.All(p => p.Item1 != e164))
                    {
                        phones.Add((e164, raw));
                    }

                    continue;
                }
            }
            catch (NumberParseException)
            {
                // reported below
            }

            errors[$"phones[{i}]"] = [$"'{raw}' is not a valid phone number (numbers without +country code are read as {defaultCountry})."];
        }

        return (phones, errors);
    }
}

public sealed record ContactDto(
    Guid Id, string? FirstName, string? LastName, string DisplayName, IReadOnlyList<string> Emails, IReadOnlyList<string> Phones,
    string? JobTitle, DateOnly? Birthday, Guid? CompanyId, IReadOnlyList<Guid> CompanyIds, Guid? OwnerId, Guid? TeamId,
    string? LifecycleStage, string? Source, string? PreferredLanguage, IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, JsonElement> Custom, CompanyAddress Address, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    /// <summary>Family name first for Chinese names (and when the workspace's first language is Chinese), given name first otherwise.</summary>
    public static string NameOf(string? first, string? last, bool familyFirst) =>
        familyFirst || IsCjk(last) || IsCjk(first)
            ? string.Concat(last, IsCjk(last) || IsCjk(first) ? "" : " ", first).Trim()
            : $"{first} {last}".Trim();

    private static bool IsCjk(string? text) => text is { Length: > 0 } && text.Any(ch => ch is >= '\u4e00' and <= '\u9fff');

    public static ContactDto From(Contact c, bool familyFirst = false, CustomFieldSet? custom = null) => new(
        c.Id, c.FirstName, c.LastName, NameOf(c.FirstName, c.LastName, familyFirst), c.Emails, c.Phones, c.JobTitle, c.Birthday,
        c.CompanyId, [.. c.Companies.Select(x => x.CompanyId)], c.OwnerId, c.TeamId, c.LifecycleStage, c.Source, c.PreferredLanguage, c.Tags,
        custom?.ToApi(c.CustomFields) ?? new Dictionary<string, JsonElement>(), new CompanyAddress(c.Street, c.City, c.Region, c.PostalCode, c.Country), c.CreatedAt, c.UpdatedAt, c.DeletedAt, c.Version);
}
