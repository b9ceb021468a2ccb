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
    public static readonly string[] RestrictableFields =
        ["firstName", "lastName", "emails", "phones", "jobTitle", "birthday", "companyId", "ownerId", "teamId"];

    public static async Task<(List<(string E164, string Typed)> Phones, Dictionary<string, string[]> Errors)> CheckAsync(
        RapportDbContext db, Guid workspaceId, ContactFields fields, CancellationToken ct)
    {
        var errors = new ContactFieldsValidator().Validate(fields).Errors
            .GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        var country = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.DefaultCountry).SingleAsync(ct);
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
        if (companies.Count > 0 && await db.Set<Company>().CountAsync(c => companies.Contains(c.Id), ct) != companies.Count)
        {
            errors["companyIds"] = ["Every company must be one of this workspace's companies."];
        }

        if (fields.OwnerId is { } owner && !await db.Memberships.AnyAsync(m => m.UserId == owner, ct))
        {
            errors["ownerId"] = ["The owner must be a member of this workspace."];
        }

        if (fields.TeamId is { } team && !await db.Set<Team>().AnyAsync(t => t.Id == team, ct))
        {
            errors["teamId"] = ["The team must be one of this workspace's teams."];
        }

        return (phones, errors);
    }

    public static async Task<Outcome<ContactDto>?> CheckAssignmentAsync(IAccessControl access, ICurrentUser user, Contact? before, ContactFields after, CancellationToken ct)
    {
        var changes = before is null
            ? after.OwnerId != user.UserId || after.TeamId is not null
            : before.OwnerId != after.OwnerId || before.TeamId != after.TeamId;
        if (!changes)
        {
            return null;
        }

        var allowed = (before is null || await access.CanAsync(before, Contact.TypeName, AccessAction.Assign, ct))
                      && await access.CanAsync(new OwnedProbe(after.OwnerId, after.TeamId), Contact.TypeName, AccessAction.Assign, ct);
        return allowed ? null : Outcome<ContactDto>.Forbidden("Your roles do not allow you to assign this contact to that owner or team.");
    }

    public static async Task<(Contact? Contact, Outcome<ContactDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, Guid id, AccessAction action, bool inTrash, CancellationToken ct)
    {
        var contacts = inTrash ? db.Set<Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(c => c.DeletedAt != null) : db.Set<Contact>();
        var contact = await contacts.Include(c => c.Companies).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null || !await access.CanAsync(contact, Contact.TypeName, AccessAction.Read, ct))
        {
            return (null, Outcome<ContactDto>.NotFound());
        }

        return await access.CanAsync(contact, Contact.TypeName, action, ct)
            ? (contact, null)
            : (null, Outcome<ContactDto>.Forbidden($"Your roles do not allow you to {action.ToString().ToLowerInvariant()} this contact."));
    }

    public static async Task<bool> FamilyNameFirstAsync(RapportDbContext db, Guid workspaceId, CancellationToken ct) =>
        (await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Languages).SingleAsync(ct)).FirstOrDefault() == "zh-Hans";
}
