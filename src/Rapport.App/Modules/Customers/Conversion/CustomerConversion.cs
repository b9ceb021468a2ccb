using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;
using Rapport.Modules.Customers.Contracts;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Modules.Customers.Conversion;

/// <summary>
/// <see cref="ICustomerConversion"/>: the duplicate checks of the customers module decide whether a record is linked or
/// created, and creates go through <see cref="CreateCompany"/> and <see cref="CreateContact"/>'s checks.
/// </summary>
internal sealed class CustomerConversion(
    RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock,
    CreateCompany.Handler createCompany, CreateContact.Handler createContact) : ICustomerConversion
{
    public async Task<Outcome<ConvertedRecord>> FindOrCreateCompanyAsync(OrganisationToConvert organisation, CancellationToken ct)
    {
        var domain = CompanyFields.NormalizeDomain(organisation.Domain);
        var nameKey = NameKeys.Company(organisation.Name);
        var readable = await access.ScopeAsync(db.Set<Company>().AsNoTracking(), Company.TypeName, AccessAction.Read, ct);
        var existing = await readable.Where(c => (domain != null && c.Domain == domain) || (nameKey != null && c.NameKey == nameKey))
            .OrderBy(c => domain != null && c.Domain == domain ? 0 : 1).ThenBy(c => c.Id).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        if (existing is { } id)
        {
            return Outcome<ConvertedRecord>.Ok(new ConvertedRecord(id, false));
        }

        // A domain held by a company the caller cannot see stays off the new one: domains are unique in a workspace.
        if (domain is not null && await db.Set<Company>().AnyAsync(c => c.Domain == domain, ct))
        {
            domain = null;
        }

        var fields = new CompanyFields(organisation.Name, domain, organisation.Industry, Website: organisation.Website,
            Address: organisation.Country is null ? null : new CompanyAddress(Country: organisation.Country),
            OwnerId: organisation.OwnerId, TeamId: organisation.TeamId, Size: organisation.Size);
        var write = await createCompany.CheckAsync(fields, ct);
        if (write.IsOk)
        {
            write = await write.Value!.SaveAsync(ct);
        }

        return write.IsOk ? Outcome<ConvertedRecord>.Ok(new ConvertedRecord(write.Value!.Company.Id, true)) : Prefixed(write, "company");
    }

    public async Task<Outcome<ConvertedRecord>> FindOrCreateContactAsync(PersonToConvert person, Guid? companyId, CancellationToken ct)
    {
        var fields = new ContactFields(person.FirstName, person.LastName, person.Emails, person.Phones, person.JobTitle, CompanyId: companyId,
            OwnerId: person.OwnerId, TeamId: person.TeamId, Source: person.Source);
        var write = await createContact.CheckAsync(fields, allowDuplicate: false, ct);
        if (write is { Kind: OutcomeKind.Conflict, Extensions: { } extensions } && extensions.GetValueOrDefault("duplicates") is IReadOnlyList<ContactDuplicates.Match> { Count: > 0 } matches)
        {
            // The duplicate check found this person: link the contact it names (one matching an email first).
            var emails = person.Emails.Select(e => e.Trim().ToLowerInvariant()).ToHashSet();
            var match = matches.OrderBy(m => m.MatchedOn.Any(emails.Contains) ? 0 : 1).First();
            return Outcome<ConvertedRecord>.Ok(new ConvertedRecord(match.Id, false));
        }

        if (write.IsOk)
        {
            write = await write.Value!.SaveAsync(ct);
        }

        return write.IsOk ? Outcome<ConvertedRecord>.Ok(new ConvertedRecord(write.Value!.Contact.Id, true)) : Prefixed(write, "contact");
    }

    public async Task RemoveCreatedAsync(Guid? contactId, Guid? companyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (contactId is { } contact && await db.Set<Contact>().SingleOrDefaultAsync(c => c.Id == contact, ct) is { } createdContact)
        {
            createdContact.MoveToTrash(now, currentUser.UserId);
        }

        if (companyId is { } company && await db.Set<Company>().SingleOrDefaultAsync(c => c.Id == company, ct) is { } createdCompany)
        {
            createdCompany.MoveToTrash(now, currentUser.UserId);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>A refusal of the contact or company write, its field errors named after the record (<c>contact.emails[0]</c>).</summary>
    private static Outcome<ConvertedRecord> Prefixed<T>(Outcome<T> refusal, string record) =>
        refusal.Kind == OutcomeKind.Invalid
            ? Outcome<ConvertedRecord>.Invalid(refusal.Errors.ToDictionary(e => $"{record}.{e.Key}", e => e.Value))
            : refusal.As<ConvertedRecord>();
}
