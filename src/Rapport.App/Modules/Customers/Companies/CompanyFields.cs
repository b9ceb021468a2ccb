using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Rapport.Kernel;
using Rapport.Kernel.CustomFields;

namespace Rapport.Modules.Customers.Companies;

public sealed record CompanyAddress(
    string? Street = null, string? City = null, string? Region = null, string? PostalCode = null, string? Country = null);

/// <summary>The writable fields of a company: the create body, and what a PATCH merges into.</summary>
/// <summary>Annual revenue: an amount (4 decimals) and its ISO 4217 currency.</summary>
public sealed record CompanyRevenue(decimal Amount, string Currency);

public sealed record CompanyFields(
    string Name, string? Domain = null, string? Industry = null, string? Phone = null, string? Website = null,
    CompanyAddress? Address = null, Guid? OwnerId = null, Guid? TeamId = null,
    string? Size = null, CompanyRevenue? AnnualRevenue = null, Guid? ParentCompanyId = null, string? LifecycleStage = null,
    IReadOnlyList<string>? Tags = null, IReadOnlyDictionary<string, JsonElement>? Custom = null,
    IReadOnlyList<LabeledAddress>? OtherAddresses = null, IReadOnlyList<SocialProfile>? SocialProfiles = null)
{
    public static string? NormalizeDomain(string? domain) =>
        string.IsNullOrWhiteSpace(domain) ? null : domain.Trim().TrimEnd('.').ToLowerInvariant();
}

public sealed partial class CompanyFieldsValidator : AbstractValidator<CompanyFields>
{
    public CompanyFieldsValidator()
    {
        RuleFor(c => c.Name).NotEmpty().WithMessage("Name is required.").MaximumLength(Company.NameMaxLength);
        RuleFor(c => c.Domain).MaximumLength(Company.DomainMaxLength)
            .Must(d => d is null || DomainPattern().IsMatch(CompanyFields.NormalizeDomain(d) ?? ""))
            .WithMessage("Domain must be a host name such as example.com, without http:// or a path.");
        RuleFor(c => c.Industry).MaximumLength(Company.IndustryMaxLength);
        RuleFor(c => c.Phone).MaximumLength(Company.PhoneMaxLength)
            .Matches(@"^[0-9+()\-.\s/x]*$").WithMessage("Phone may hold digits, spaces and + ( ) - . / x only.");
        RuleFor(c => c.Website).MaximumLength(Company.WebsiteMaxLength)
            .Must(w => string.IsNullOrWhiteSpace(w) || Uri.TryCreate(w.Trim(), UriKind.Absolute, out var u) && u.Scheme is "http" or "https")
            .WithMessage("Website must be a full address starting with http:// or https://.");
        RuleFor(c => c.Size).Must(s => string.IsNullOrWhiteSpace(s) || Company.Sizes.Contains(s.Trim()))
            .WithMessage($"Size must be one of: {string.Join(", ", Company.Sizes)}.");
        RuleFor(c => c.LifecycleStage).Must(s => string.IsNullOrWhiteSpace(s) || Company.LifecycleStages.Contains(s.Trim()))
            .WithMessage($"Lifecycle stage must be one of: {string.Join(", ", Company.LifecycleStages)}.");
        When(c => c.AnnualRevenue is not null, () =>
        {
            RuleFor(c => c.AnnualRevenue!.Amount).InclusiveBetween(0m, 1_000_000_000_000m).WithMessage("Annual revenue must be between 0 and 10^12.")
                .Must(a => decimal.Round(a, Money.StoredDecimals) == a).WithMessage("Annual revenue has at most 4 decimals.");
            RuleFor(c => c.AnnualRevenue!.Currency).Must(c => Currencies.IsKnown(c?.ToUpperInvariant())).WithMessage("Currency must be an ISO 4217 code, such as CNY or USD.");
        });
        RuleFor(c => c.OtherAddresses).Must(a => a is null || a.Count <= Company.MaxOtherAddresses).WithMessage($"At most {Company.MaxOtherAddresses} other addresses.");
        RuleForEach(c => c.OtherAddresses).ChildRules(a =>
        {
            a.RuleFor(x => x.Label).NotEmpty().WithMessage("Say what the address is for (billing, warehouse…).").MaximumLength(Company.AddressLabelMaxLength);
            a.RuleFor(x => x.Street).MaximumLength(Company.StreetMaxLength);
            a.RuleFor(x => x.City).MaximumLength(Company.CityMaxLength);
            a.RuleFor(x => x.Region).MaximumLength(Company.RegionMaxLength);
            a.RuleFor(x => x.PostalCode).MaximumLength(Company.PostalCodeMaxLength);
            a.RuleFor(x => x.Country).Must(c => string.IsNullOrWhiteSpace(c) || Countries.IsKnown(c.Trim().ToUpperInvariant()))
                .WithMessage("Country must be an ISO 3166 two-letter code, such as CN or DE.");
        });
        RuleFor(c => c.SocialProfiles).Must(p => p is null || p.Count <= Company.MaxSocialProfiles).WithMessage($"At most {Company.MaxSocialProfiles} social profiles.");
        RuleForEach(c => c.SocialProfiles).ChildRules(p =>
        {
            p.RuleFor(x => x.Network).NotEmpty().WithMessage("Name the network (LinkedIn, WeChat, X…).").MaximumLength(Company.NetworkMaxLength);
            p.RuleFor(x => x.Handle).NotEmpty().WithMessage("Give the profile's URL or handle.").MaximumLength(Company.HandleMaxLength);
        });
        RuleFor(c => c.Tags).Must(t => t is null || t.Count <= Company.MaxTags).WithMessage($"At most {Company.MaxTags} tags.");
        RuleForEach(c => c.Tags).MaximumLength(Company.TagMaxLength);
        When(c => c.Address is not null, () =>
        {
            RuleFor(c => c.Address!.Street).MaximumLength(Company.StreetMaxLength);
            RuleFor(c => c.Address!.City).MaximumLength(Company.CityMaxLength);
            RuleFor(c => c.Address!.Region).MaximumLength(Company.RegionMaxLength);
            RuleFor(c => c.Address!.PostalCode).MaximumLength(Company.PostalCodeMaxLength);
            RuleFor(c => c.Address!.Country).Must(c => string.IsNullOrWhiteSpace(c) || Countries.IsKnown(c.Trim().ToUpperInvariant()))
                .WithMessage("Country must be an ISO 3166 two-letter code, such as CN or DE.");
        });
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9\p{L}]([a-z0-9\p{L}-]{0,61}[a-z0-9\p{L}])?\.)+[a-z\p{L}][a-z0-9\p{L}-]{0,62}$")]
    private static partial Regex DomainPattern();
}

public sealed record CompanyDto(
    Guid Id, string Name, string? Domain, string? Industry, string? Phone, string? Website, CompanyAddress Address,
    Guid? OwnerId, Guid? TeamId, string? Size, CompanyRevenue? AnnualRevenue, Guid? ParentCompanyId, string? LifecycleStage,
    IReadOnlyList<string> Tags, IReadOnlyDictionary<string, JsonElement> Custom,
    IReadOnlyList<LabeledAddress> OtherAddresses, IReadOnlyList<SocialProfile> SocialProfiles,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    public static CompanyDto From(Company c, CustomFieldSet? custom = null) => new(
        c.Id, c.Name, c.Domain, c.Industry, c.Phone, c.Website, new CompanyAddress(c.Street, c.City, c.Region, c.PostalCode, c.Country),
        c.OwnerId, c.TeamId, c.Size, c.AnnualRevenue is { } amount ? new CompanyRevenue(amount, c.AnnualRevenueCurrency!) : null,
        c.ParentCompanyId, c.LifecycleStage, c.Tags, custom?.ToApi(c.CustomFields) ?? new Dictionary<string, JsonElement>(),
        c.OtherAddresses, c.SocialProfiles, c.CreatedAt, c.UpdatedAt, c.DeletedAt, c.Version);
}
