using System.Text.Json;
using FluentValidation;
using Rapport.Kernel;
using Rapport.Kernel.CustomFields;

namespace Rapport.Modules.Sales.Leads;

/// <summary>
/// The writable fields of a lead: a first or last name or a company name; <c>emails</c> and <c>phones</c> (first is primary);
/// <c>source</c>, <c>status</c> (new, working, qualified, unqualified — <c>converted</c> only through POST /leads/{id}/convert),
/// <c>rating</c> (hot, warm, cold), <c>size</c> (a head-count band), <c>country</c> (ISO 3166 two letters), <c>territory</c>.
/// The owner defaults to the assignment rules, then to the caller.
/// </summary>
public sealed record LeadFields(
    string? FirstName = null, string? LastName = null, string? CompanyName = null,
    IReadOnlyList<string>? Emails = null, IReadOnlyList<string>? Phones = null, string? JobTitle = null, string? Website = null,
    string? Source = null, string? Status = null, string? Rating = null, string? Industry = null, string? Size = null,
    string? Country = null, string? Territory = null, string? Description = null, Guid? OwnerId = null, Guid? TeamId = null,
    IReadOnlyDictionary<string, JsonElement>? Custom = null);

public sealed class LeadFieldsValidator : AbstractValidator<LeadFields>
{
    public LeadFieldsValidator()
    {
        RuleFor(l => l).Must(l => !string.IsNullOrWhiteSpace(l.FirstName) || !string.IsNullOrWhiteSpace(l.LastName) || !string.IsNullOrWhiteSpace(l.CompanyName))
            .OverridePropertyName("lastName").WithMessage("Give the lead a first or last name, or a company name.");
        RuleFor(l => l.FirstName).MaximumLength(Lead.NameMaxLength);
        RuleFor(l => l.LastName).MaximumLength(Lead.NameMaxLength);
        RuleFor(l => l.CompanyName).MaximumLength(Lead.CompanyNameMaxLength);
        RuleFor(l => l.Emails).Must(e => e is null || e.Count <= Lead.MaxEmails).WithMessage($"At most {Lead.MaxEmails} emails.");
        RuleForEach(l => l.Emails).MaximumLength(Lead.EmailMaxLength).EmailAddress().WithMessage("'{PropertyValue}' is not a valid email address.");
        RuleFor(l => l.Phones).Must(p => p is null || p.Count <= Lead.MaxPhones).WithMessage($"At most {Lead.MaxPhones} phones.");
        RuleForEach(l => l.Phones).MaximumLength(Lead.PhoneMaxLength);
        RuleFor(l => l.JobTitle).MaximumLength(Lead.JobTitleMaxLength);
        RuleFor(l => l.Website).MaximumLength(Lead.WebsiteMaxLength)
            .Must(w => string.IsNullOrWhiteSpace(w) || Uri.TryCreate(w.Trim(), UriKind.Absolute, out var u) && u.Scheme is "http" or "https")
            .WithMessage("Website must be a full address starting with http:// or https://.");
        RuleFor(l => l.Source).Must(s => string.IsNullOrWhiteSpace(s) || Lead.Sources.Contains(s.Trim()))
            .WithMessage($"Source must be one of: {string.Join(", ", Lead.Sources)}.");
        RuleFor(l => l.Status).Must(s => string.IsNullOrWhiteSpace(s) || Lead.Statuses.Contains(s.Trim()))
            .WithMessage($"Status must be one of: {string.Join(", ", Lead.Statuses)}.");
        RuleFor(l => l.Rating).Must(r => string.IsNullOrWhiteSpace(r) || Lead.Ratings.Contains(r.Trim()))
            .WithMessage($"Rating must be one of: {string.Join(", ", Lead.Ratings)}.");
        RuleFor(l => l.Industry).MaximumLength(Lead.IndustryMaxLength);
        RuleFor(l => l.Size).Must(s => string.IsNullOrWhiteSpace(s) || Lead.Sizes.Contains(s.Trim()))
            .WithMessage($"Size must be one of: {string.Join(", ", Lead.Sizes)}.");
        RuleFor(l => l.Country).Must(c => string.IsNullOrWhiteSpace(c) || Countries.IsKnown(c.Trim().ToUpperInvariant()))
            .WithMessage("Country must be an ISO 3166 two-letter code, such as CN or DE.");
        RuleFor(l => l.Territory).MaximumLength(Lead.TerritoryMaxLength);
        RuleFor(l => l.Description).MaximumLength(Lead.DescriptionMaxLength);
    }
}

/// <summary>One scoring rule's part in a lead's score: its points, and what is left of them after decay.</summary>
public sealed record ScorePart(Guid RuleId, string Name, int Points, int Applied);

/// <summary>What the lead became (null until converted); <c>*Created</c> says which of them the conversion made rather than linked.</summary>
public sealed record LeadConversionDto(
    Guid? ContactId, bool ContactCreated, Guid? CompanyId, bool CompanyCreated, Guid? DealId, bool DealCreated, DateTimeOffset ConvertedAt, Guid? ConvertedBy);

/// <summary>
/// A lead as the API shows it. <c>score</c> is the sum of the matching scoring rules' points after decay, computed at the time
/// of the answer, and <c>scoreBreakdown</c> lists the rules that produced it.
/// </summary>
public sealed record LeadDto(
    Guid Id, string DisplayName, string? FirstName, string? LastName, string? CompanyName, IReadOnlyList<string> Emails, IReadOnlyList<string> Phones,
    string? JobTitle, string? Website, string? Source, string Status, string? Rating, string? Industry, string? Size, string? Country, string? Territory,
    string? Description, Guid? OwnerId, Guid? TeamId, int Score, IReadOnlyList<ScorePart> ScoreBreakdown, Guid? AssignedByRuleId,
    LeadConversionDto? Conversion, IReadOnlyDictionary<string, JsonElement> Custom,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    public static LeadDto From(Lead l, LeadScore score, CustomFieldSet? custom = null) => new(
        l.Id, l.DisplayName, l.FirstName, l.LastName, l.CompanyName, l.Emails, l.Phones, l.JobTitle, l.Website, l.Source, l.Status, l.Rating,
        l.Industry, l.Size, l.Country, l.Territory, l.Description, l.OwnerId, l.TeamId, score.Total, score.Parts, l.AssignedByRuleId,
        l.ConvertedAt is { } at ? new LeadConversionDto(l.ConvertedContactId, l.ContactCreated, l.ConvertedCompanyId, l.CompanyCreated,
            l.ConvertedDealId, l.DealCreated, at, l.ConvertedBy) : null,
        custom?.ToApi(l.CustomFields) ?? new Dictionary<string, JsonElement>(),
        l.CreatedAt, l.UpdatedAt, l.DeletedAt, l.Version);

    public LeadFields Fields => new(FirstName, LastName, CompanyName, Emails, Phones, JobTitle, Website, Source, Status, Rating, Industry, Size,
        Country, Territory, Description, OwnerId, TeamId, Custom);
}
