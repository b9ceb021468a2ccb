using Rapport.Kernel.Api;

namespace Rapport.Modules.Customers.Contracts;

/// <summary>A person to find among the contacts, or to add as one (a lead being converted, for instance).</summary>
public sealed record PersonToConvert(
    string? FirstName, string? LastName, IReadOnlyList<string> Emails, IReadOnlyList<string> Phones, string? JobTitle, string? Source,
    Guid? OwnerId, Guid? TeamId);

/// <summary>An organisation to find among the companies, or to add as one.</summary>
public sealed record OrganisationToConvert(
    string Name, string? Domain, string? Website, string? Industry, string? Size, string? Country, Guid? OwnerId, Guid? TeamId);

/// <summary>The contact or company a conversion links: an existing one, or one it just created.</summary>
public sealed record ConvertedRecord(Guid Id, bool Created);

/// <summary>
/// What other modules may ask the customers module for when they turn something into customer data: find the record the
/// duplicate check would name, or create one under the same rules as the API (rights, validation, audit). Writes are saved
/// in the caller's unit of work, so a caller's transaction covers them.
/// </summary>
public interface ICustomerConversion
{
    /// <summary>A company the caller may read with this domain or the same name (its name key), else a new company.</summary>
    Task<Outcome<ConvertedRecord>> FindOrCreateCompanyAsync(OrganisationToConvert organisation, CancellationToken ct);

    /// <summary>A contact the caller may read with one of these emails or phones (the duplicate check), else a new contact at <paramref name="companyId"/>.</summary>
    Task<Outcome<ConvertedRecord>> FindOrCreateContactAsync(PersonToConvert person, Guid? companyId, CancellationToken ct);

    /// <summary>Moves records a conversion created to the trash (undoing it); ones already gone are skipped. The caller checks the rights.</summary>
    Task RemoveCreatedAsync(Guid? contactId, Guid? companyId, CancellationToken ct);
}
