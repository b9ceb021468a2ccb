using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Duplicates;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>
/// Exact duplicates: another contact with one of the same emails or normalized phones, found through the
/// indexed duplicate keys. Writes are refused with a 409 listing them (<c>duplicates</c> in the problem) unless
/// <c>allowDuplicate=true</c>; only contacts the user may read are considered, so a refusal never reveals a
/// record the user cannot see.
/// </summary>
internal static class ContactDuplicates
{
    public sealed record Match(Guid Id, string DisplayName, IReadOnlyList<string> MatchedOn);

    /// <param name="ignore">Contacts not to count (the others of a merge).</param>
    public static async Task<IReadOnlyList<Match>> FindAsync(
        RapportDbContext db, IAccessControl access, Guid? self, IReadOnlyList<string> emails, IReadOnlyList<string> phones, CancellationToken ct,
        IReadOnlyCollection<Guid>? ignore = null)
    {
        var keys = ContactDuplicateKey.KeysOf(emails, phones, null, []);
        if (keys.Count == 0)
        {
            return [];
        }

        ignore ??= [];
        var matching = db.Set<ContactDuplicateKey>().Where(k => keys.Contains(k.Key)).Select(k => k.ContactId);
        var visible = await access.ScopeAsync(db.Set<Contact>().AsNoTracking(), Contact.TypeName, AccessAction.Read, ct);
        var candidates = await visible
            .Where(c => c.Id != self && !ignore.Contains(c.Id) && matching.Contains(c.Id))
            .OrderBy(c => c.Id).Take(10).ToListAsync(ct);
        return [.. candidates.Select(c => new Match(c.Id, ContactDto.NameOf(c.FirstName, c.LastName, false),
            [.. c.Emails.Intersect(emails).Concat(c.Phones.Intersect(phones))]))];
    }

    public static Outcome<T> Refusal<T>(IReadOnlyList<Match> matches) => Outcome<T>.Conflict(
        "Another contact has the same email or phone: " + string.Join("; ", matches.Select(m => $"{m.DisplayName} ({m.Id}) on {string.Join(", ", m.MatchedOn)}"))
        + ". Open it instead, or repeat the request with allowDuplicate=true.",
        new Dictionary<string, object?> { ["duplicates"] = matches });
}
