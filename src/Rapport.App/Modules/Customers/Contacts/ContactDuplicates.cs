using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>
/// Exact duplicates: another contact with one of the same emails or normalized phones. Writes are
/// refused with a 409 listing them unless <c>allowDuplicate=true</c>; only contacts the user may
/// read are considered, so a refusal never reveals a record the user cannot see.
/// </summary>
internal static class ContactDuplicates
{
    public sealed record Match(Guid Id, string DisplayName, IReadOnlyList<string> MatchedOn);

    public static async Task<IReadOnlyList<Match>> FindAsync(
        RapportDbContext db, IAccessControl access, Guid? self, IReadOnlyList<string> emails, IReadOnlyList<string> phones, CancellationToken ct)
    {
        if (emails.Count == 0 && phones.Count == 0)
        {
            return [];
        }

        var visible = await access.ScopeAsync(db.Set<Contact>().AsNoTracking(), Contact.TypeName, AccessAction.Read, ct);
        var candidates = await visible
            .Where(c => c.Id != self && (c.Emails.Any(e => emails.Contains(e)) || c.Phones.Any(p => phones.Contains(p))))
            .OrderBy(c => c.Id).Take(10).ToListAsync(ct);
        return [.. candidates.Select(c => new Match(c.Id, ContactDto.NameOf(c.FirstName, c.LastName, false),
            [.. c.Emails.Intersect(emails).Concat(c.Phones.Intersect(phones))]))];
    }

    public static Outcome<ContactDto> Refusal(IReadOnlyList<Match> matches) => Outcome<ContactDto>.Conflict(
        "Another contact has the same email or phone: " + string.Join("; ", matches.Select(m => $"{m.DisplayName} ({m.Id}) on {string.Join(", ", m.MatchedOn)}"))
        + ". Open it instead, or repeat the request with allowDuplicate=true.");
}
