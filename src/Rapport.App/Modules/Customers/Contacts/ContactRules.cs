using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Customers.Companies;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>What every contact write checks: valid fields, phones in E.164, ids of this workspace, field and assignment rights.</summary>
internal static class ContactRules
{
    private static readonly ContactFieldsValidator Validator = new(); // validators are built once: their rules compile expressions
    public static readonly string[] RestrictableFields =
        ["firstName", "lastName", "emails", "phones", "jobTitle", "birthday", "companyId", "ownerId", "teamId", "lifecycleStage", "source", "preferredLanguage", "tags", "address"];

    public static async Task<(List<(string E164, string Typed)> Phones, Dictionary<string, string[]> Errors)> CheckAsync(
        RapportDbContext db, Guid workspaceId, ContactFields fields, CancellationToken ct)
    {
        var errors = Validator.Validate(fields).Errors
            .GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        var country = (await db.WorkspaceDefaultsAsync(ct)).DefaultCountry;
        var (phones, phoneErrors) = ContactPhones.Normalize(fields.Phones, country);
        foreach (var (key, value) in phoneErrors)
        {
            errors[key] = value;
        }

        if (errors.Count > 0)
        {
            return (phones, errors);
        }

        var companies = ContactFields.AllCompanies(fields);
        var unknown = companies.Where(id => !db.IsKnown<Company>(id)).ToList();
        if (unknown.Count > 0 && await db.Set<Company>().CountAsync(c => unknown.Contains(c.Id), ct) != unknown.Count)
        {
            errors["companyIds"] = ["Every company must be one of this workspace's companies."];
        }
        else
        {
            unknown.ForEach(db.Know<Company>);
        }

        if (fields.OwnerId is { } owner && !await db.KnownAsync<Membership>(owner, () => db.Memberships.AnyAsync(m => m.UserId == owner, ct)))
        {
            errors["ownerId"] = ["The owner must be a member of this workspace."];
        }

        if (fields.TeamId is { } team && !await db.KnownAsync<Team>(team, () => db.Set<Team>().AnyAsync(t => t.Id == team, ct)))
        {
            errors["teamId"] = ["The team must be one of this workspace's teams."];
        }

        return (phones, errors);
    }

    public static Task<Outcome<ContactDto>?> CheckAssignmentAsync(IAccessControl access, ICurrentUser user, Contact? before, ContactFields after, CancellationToken ct) =>
        RecordAccess.CheckAssignmentAsync<ContactDto>(access, user, Contact.TypeName, before, after.OwnerId, after.TeamId, ct);

    public static Task<(Contact? Contact, Outcome<ContactDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, Guid id, AccessAction action, bool inTrash, CancellationToken ct)
    {
        var contacts = inTrash ? db.Set<Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(c => c.DeletedAt != null && c.MergedIntoId == null) : db.Set<Contact>();
        return RecordAccess.LoadForAsync<Contact, ContactDto>(WithLinks(contacts), access, Contact.TypeName, id, action, ct);
    }

    /// <summary>What <see cref="Contact.Change"/> keeps in step and therefore needs loaded: company links and duplicate keys (a few rows each: one query).</summary>
    public static IQueryable<Contact> WithLinks(IQueryable<Contact> contacts) => contacts.Include(c => c.Companies).Include(c => c.DuplicateKeys).AsSingleQuery();

    public static async Task<bool> FamilyNameFirstAsync(RapportDbContext db, Guid workspaceId, CancellationToken ct) =>
        (await db.WorkspaceDefaultsAsync(ct)).Languages is ["zh-Hans", ..];
}
