using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers.Duplicates;

public sealed record DuplicateRecord(Guid Id, string DisplayName, string? Detail);

public sealed record DuplicatePair(string Entity, DuplicateRecord First, DuplicateRecord Second, int Score, IReadOnlyList<DuplicateReason> Reasons);

/// <summary>
/// The duplicate finder: pairs of records sharing a match key, found by the database — contacts through the
/// indexed duplicate keys (email, phone, name at a company), companies through their indexed name key — joined
/// key to key, so no pair is ever computed in memory. Keyset paging on (key, first id, second id); a pair sharing
/// several keys is listed once, under its smallest key. Dismissed pairs and records the caller may not merge
/// are left out, and so are matches on fields the caller may not read. A page reads the key index from its cursor to
/// the next pairs: where duplicates are rare, the last page reads the rest of it (about half a second per million keys).
/// </summary>
public static class ListDuplicatePairs
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;
    /// <summary>A contact's name key is made of these: all must be readable to match on it.</summary>
    internal static readonly string[] NameFields = ["firstName", "lastName", "companyId"];

    private sealed record Row(string Key, Guid First, Guid Second);

    private sealed record Cursor(string K, Guid F, Guid S);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public async Task<Outcome<Page<DuplicatePair>>> HandleAsync(string entity, int? limit, string? cursor, CancellationToken ct)
        {
            if (await DuplicateFinderAccess.RefuseAsync<Page<DuplicatePair>>(access, entity, ct) is { } refused)
            {
                return refused;
            }

            var take = limit ?? DefaultLimit;
            if (take is < 1 or > MaxLimit)
            {
                return Outcome<Page<DuplicatePair>>.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
            }

            var after = Decode(cursor);
            var policy = await access.FieldsAsync(entity, ct);
            var rows = entity == Contact.TypeName ? await ContactRowsAsync(policy, after, take + 1, ct) : await CompanyRowsAsync(policy, after, take + 1, ct);
            var next = rows.Count > take ? Encode(rows[take - 1]) : null;
            rows = [.. rows.Take(take)];
            var pairs = entity == Contact.TypeName ? await DescribeContactsAsync(rows, policy, ct) : await DescribeCompaniesAsync(rows, policy, ct);
            return Outcome<Page<DuplicatePair>>.Ok(new Page<DuplicatePair>(pairs, next));
        }

        private async Task<List<Row>> ContactRowsAsync(FieldPolicy policy, Cursor? after, int take, CancellationToken ct)
        {
            var (emails, phones, names) = Kinds(policy);
            var keys = db.Set<ContactDuplicateKey>().AsNoTracking();
            if (!(emails && phones && names))
            {
                keys = keys.Where(k => emails && k.Key.StartsWith(ContactDuplicateKey.Email) || phones && k.Key.StartsWith(ContactDuplicateKey.Phone)
                                       || names && k.Key.StartsWith(ContactDuplicateKey.Name));
            }

            var ids = (await DuplicateFinderAccess.MergeableAsync(access, db.Set<Contact>().AsNoTracking(), Contact.TypeName, ct)).Select(c => c.Id);
            var dismissed = db.Set<DuplicateDismissal>().Where(d => d.EntityType == Contact.TypeName);
            // Both sides of the join start at the cursor's key, so a page reads the index from there on, never from its start.
            var from = after is null ? keys : keys.Where(k => k.Key.CompareTo(after.K) >= 0);
            var pairs = from.Join(from, a => a.Key, b => b.Key, (a, b) => new { a.Key, First = a.ContactId, Second = b.ContactId })
                .Where(p => p.First.CompareTo(p.Second) < 0 && ids.Contains(p.First) && ids.Contains(p.Second))
                .Where(p => !dismissed.Any(d => d.FirstId == p.First && d.SecondId == p.Second || d.FirstId == p.Second && d.SecondId == p.First))
                // Listed once, under the smallest key the two share.
                .Where(p => !keys.Any(x => x.ContactId == p.First && x.Key.CompareTo(p.Key) < 0 && keys.Any(y => y.ContactId == p.Second && y.Key == x.Key)));
            if (after is not null)
            {
                pairs = pairs.Where(p => p.Key.CompareTo(after.K) > 0
                                         || p.Key == after.K && (p.First.CompareTo(after.F) > 0 || p.First == after.F && p.Second.CompareTo(after.S) > 0));
            }

            return [.. (await pairs.OrderBy(p => p.Key).ThenBy(p => p.First).ThenBy(p => p.Second).Take(take).ToListAsync(ct))
                .Select(p => new Row(p.Key, p.First, p.Second))];
        }

        private async Task<List<Row>> CompanyRowsAsync(FieldPolicy policy, Cursor? after, int take, CancellationToken ct)
        {
            if (policy.IsHidden("name"))
            {
                return [];
            }

            var companies = (await DuplicateFinderAccess.MergeableAsync(access, db.Set<Company>().AsNoTracking(), Company.TypeName, ct))
                .Where(c => c.NameKey != null);
            if (after is not null)
            {
                companies = companies.Where(c => c.NameKey!.CompareTo(after.K) >= 0);
            }

            var dismissed = db.Set<DuplicateDismissal>().Where(d => d.EntityType == Company.TypeName);
            var pairs = companies.Join(companies, a => a.NameKey, b => b.NameKey, (a, b) => new { Key = a.NameKey!, First = a.Id, Second = b.Id })
                .Where(p => p.First.CompareTo(p.Second) < 0)
                .Where(p => !dismissed.Any(d => d.FirstId == p.First && d.SecondId == p.Second || d.FirstId == p.Second && d.SecondId == p.First));
            if (after is not null)
            {
                pairs = pairs.Where(p => p.Key.CompareTo(after.K) > 0
                                         || p.Key == after.K && (p.First.CompareTo(after.F) > 0 || p.First == after.F && p.Second.CompareTo(after.S) > 0));
            }

            return [.. (await pairs.OrderBy(p => p.Key).ThenBy(p => p.First).ThenBy(p => p.Second).Take(take).ToListAsync(ct))
                .Select(p => new Row(p.Key, p.First, p.Second))];
        }

        private async Task<List<DuplicatePair>> DescribeContactsAsync(List<Row> rows, FieldPolicy policy, CancellationToken ct)
        {
            var ids = rows.SelectMany(r => new[] { r.First, r.Second }).Distinct().ToList();
            var (emails, phones, names) = Kinds(policy);
            var keys = (await db.Set<ContactDuplicateKey>().AsNoTracking().Where(k => ids.Contains(k.ContactId)).ToListAsync(ct))
                .Where(k => ContactDuplicateKey.KindOf(k.Key) switch { "email" => emails, "phone" => phones, _ => names })
                .ToLookup(k => k.ContactId, k => k.Key);
            var familyFirst = await ContactRules.FamilyNameFirstAsync(db, currentUser.WorkspaceId!.Value, ct);
            var contacts = await db.Set<Contact>().AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            DuplicateRecord Describe(Guid id)
            {
                var c = contacts[id];
                return new DuplicateRecord(id, ContactDto.NameOf(c.FirstName, c.LastName, familyFirst),
                    (emails ? c.Emails.FirstOrDefault() : null) ?? (phones ? c.Phones.FirstOrDefault() : null));
            }

            return [.. rows.Select(r =>
            {
                var reasons = keys[r.First].Intersect(keys[r.Second]).Order(StringComparer.Ordinal)
                    .Select(k => new DuplicateReason(ContactDuplicateKey.KindOf(k), ContactDuplicateKey.ValueOf(k))).Distinct().ToList();
                return new DuplicatePair(Contact.TypeName, Describe(r.First), Describe(r.Second), reasons.Max(x => DuplicateScores.Of(x.Kind)), reasons);
            })];
        }

        private async Task<List<DuplicatePair>> DescribeCompaniesAsync(List<Row> rows, FieldPolicy policy, CancellationToken ct)
        {
            var ids = rows.SelectMany(r => new[] { r.First, r.Second }).Distinct().ToList();
            var companies = await db.Set<Company>().AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.Name, c.Domain, c.City }).ToDictionaryAsync(c => c.Id, ct);
            DuplicateRecord Describe(Guid id) => new(id, companies[id].Name,
                (policy.IsHidden("domain") ? null : companies[id].Domain) ?? (policy.IsHidden("address") ? null : companies[id].City));
            return [.. rows.Select(r => new DuplicatePair(Company.TypeName, Describe(r.First), Describe(r.Second), DuplicateScores.Of("companyName"),
                [new DuplicateReason("companyName", r.Key)]))];
        }

        /// <summary>Which kinds of contact keys the caller may match on: a hidden field must never make a pair.</summary>
        private static (bool Emails, bool Phones, bool Names) Kinds(FieldPolicy policy) =>
            (!policy.IsHidden("emails"), !policy.IsHidden("phones"), !NameFields.Any(policy.IsHidden));
    }

    private static string Encode(Row row) =>
        WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(new Cursor(row.Key, row.First, row.Second)));

    private static Cursor? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Cursor>(Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor))) is { K: not null } c
                ? c : throw new FilterException("cursor", "The cursor is not one this list returned.");
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            throw new FilterException("cursor", "The cursor is not one this list returned.");
        }
    }

    public static void Map(RouteGroupBuilder duplicates) =>
        duplicates.MapGet("/", async (string? entity, int? limit, string? cursor, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(entity ?? "", limit, cursor, ct)).ToHttp("duplicate", TypedResults.Ok))
            .WithName("ListDuplicatePairs")
            .WithSummary("Candidate duplicate pairs, with score and reason")
            .WithDescription("entity=contact or company (required); limit 1–100 (default 25); cursor from nextCursor. Contacts pair on a shared email, " +
                             "phone, or the same normalized name at the same company; companies on the same normalized name (case, punctuation and " +
                             "legal suffixes removed). Needs the rights to change and delete records of the type; lists only pairs of records you may " +
                             "change and delete, never pairs marked \"not a duplicate\" (POST /duplicates/dismissals).")
            .Produces<Page<DuplicatePair>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
