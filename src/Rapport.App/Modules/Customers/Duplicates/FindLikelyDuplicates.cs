using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>
/// While a contact or company is typed: the records it may duplicate, among those the caller may read, on fields
/// the caller may read. Exact matches (email, phone, domain) would be refused on save; soft ones (the same or a
/// similar name at the same company, a similar company name) are only suggestions.
/// </summary>
public static class FindLikelyDuplicates
{
    private const int MaxCandidates = 10;
    /// <summary>How many same-company contacts or same-prefix companies a similar-name check compares at most.</summary>
    private const int MaxCompared = 300;

    /// <summary>The contact fields being typed; <see cref="ExcludeId"/> is the contact being edited.</summary>
    public sealed record ContactProbe(
        string? FirstName = null, string? LastName = null, IReadOnlyList<string>? Emails = null, IReadOnlyList<string>? Phones = null,
        Guid? CompanyId = null, IReadOnlyList<Guid>? CompanyIds = null, Guid? ExcludeId = null);

    /// <summary>The company fields being typed; <see cref="ExcludeId"/> is the company being edited.</summary>
    public sealed record CompanyProbe(string? Name = null, string? Domain = null, Guid? ExcludeId = null);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public async Task<Outcome<LikelyDuplicates>> ContactsAsync(ContactProbe probe, CancellationToken ct)
        {
            if (await access.LevelAsync(Contact.TypeName, AccessAction.Read, ct) == AccessLevel.None)
            {
                return Outcome<LikelyDuplicates>.Forbidden("Your roles do not allow you to read contacts.");
            }

            var policy = await access.FieldsAsync(Contact.TypeName, ct);
            var workspaceId = currentUser.WorkspaceId!.Value;
            var emails = policy.IsHidden("emails") ? [] : (probe.Emails ?? []).Select(e => e.Trim().ToLowerInvariant()).Where(e => e.Contains('@')).ToList();
            var country = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.DefaultCountry).SingleAsync(ct);
            var phones = policy.IsHidden("phones") ? [] : ContactPhones.Normalize(probe.Phones, country).Phones.Select(p => p.E164).ToList();
            var nameKey = ListDuplicatePairs.NameFields.Any(policy.IsHidden) ? null : NameKeys.Person(probe.FirstName, probe.LastName);
            var companies = ContactFields.AllCompanies(new ContactFields(CompanyId: probe.CompanyId, CompanyIds: probe.CompanyIds)).Take(Contact.MaxCompanies).ToList();
            var keys = ContactDuplicateKey.KeysOf(emails, phones, nameKey, companies);

            var visible = (await access.ScopeAsync(db.Set<Contact>().AsNoTracking(), Contact.TypeName, AccessAction.Read, ct))
                .Where(c => c.Id != probe.ExcludeId);
            var visibleIds = visible.Select(c => c.Id);
            var hits = keys.Count == 0 ? [] : await db.Set<ContactDuplicateKey>().AsNoTracking()
                .Where(k => keys.Contains(k.Key) && visibleIds.Contains(k.ContactId)).OrderBy(k => k.ContactId).Take(5 * MaxCandidates).ToListAsync(ct);
            var reasons = hits.GroupBy(k => k.ContactId).ToDictionary(g => g.Key,
                g => g.Select(k => new DuplicateReason(ContactDuplicateKey.KindOf(k.Key), ContactDuplicateKey.ValueOf(k.Key))).Distinct().ToList());

            if (nameKey is not null && companies.Count > 0)
            {
                // Similar names: compared with the contacts of the same companies only, so the work is bounded by a company's size.
                var colleagues = await visible.Where(c => c.Companies.Any(l => companies.Contains(l.CompanyId)))
                    .OrderBy(c => c.Id).Select(c => new { c.Id, c.FirstName, c.LastName }).Take(MaxCompared).ToListAsync(ct);
                foreach (var colleague in colleagues.Where(c => !reasons.ContainsKey(c.Id) || reasons[c.Id].All(r => r.Kind != "name")))
                {
                    if (NameKeys.Person(colleague.FirstName, colleague.LastName) is { } other && NameKeys.Similar(nameKey, other, person: true) is > 0)
                    {
                        reasons.TryAdd(colleague.Id, []);
                        reasons[colleague.Id].Add(new DuplicateReason("similarName", other));
                    }
                }
            }

            var familyFirst = await ContactRules.FamilyNameFirstAsync(db, workspaceId, ct);
            var ids = reasons.Keys.ToList();
            var names = await db.Set<Contact>().AsNoTracking().Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.FirstName, c.LastName }).ToDictionaryAsync(c => c.Id, ct);
            return Outcome<LikelyDuplicates>.Ok(new LikelyDuplicates([.. reasons
                .Select(r => DuplicateScores.Candidate(r.Key, ContactDto.NameOf(names[r.Key].FirstName, names[r.Key].LastName, familyFirst), r.Value))
                .OrderByDescending(c => c.Score).ThenBy(c => c.DisplayName, StringComparer.Ordinal).Take(MaxCandidates)]));
        }

        public async Task<Outcome<LikelyDuplicates>> CompaniesAsync(CompanyProbe probe, CancellationToken ct)
        {
            if (await access.LevelAsync(Company.TypeName, AccessAction.Read, ct) == AccessLevel.None)
            {
                return Outcome<LikelyDuplicates>.Forbidden("Your roles do not allow you to read companies.");
            }

            var policy = await access.FieldsAsync(Company.TypeName, ct);
            var domain = policy.IsHidden("domain") ? null : CompanyFields.NormalizeDomain(probe.Domain);
            var nameKey = policy.IsHidden("name") ? null : NameKeys.Company(probe.Name);
            var visible = (await access.ScopeAsync(db.Set<Company>().AsNoTracking(), Company.TypeName, AccessAction.Read, ct))
                .Where(c => c.Id != probe.ExcludeId);
            var found = new Dictionary<Guid, (string Name, List<DuplicateReason> Reasons)>();
            void Add(Guid id, string name, DuplicateReason reason)
            {
                found.TryAdd(id, (name, []));
                found[id].Reasons.Add(reason);
            }

            if (domain is not null)
            {
                foreach (var c in await visible.Where(c => c.Domain == domain).OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).Take(MaxCandidates).ToListAsync(ct))
                {
                    Add(c.Id, c.Name, new DuplicateReason("domain", domain));
                }
            }

            if (nameKey is not null)
            {
                foreach (var c in await visible.Where(c => c.NameKey == nameKey).OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).Take(MaxCandidates).ToListAsync(ct))
                {
                    Add(c.Id, c.Name, new DuplicateReason("companyName", nameKey));
                }

                if (NameKeys.Tolerance(nameKey, person: false) is > 0 and var tolerance)
                {
                    // Similar names share their first characters (one Chinese character, two letters): a typo there is not caught.
                    var prefix = nameKey[..(NameKeys.IsCjk(nameKey[..1]) ? 1 : 2)];
                    var (shortest, longest) = (nameKey.Length - tolerance, nameKey.Length + tolerance);
                    var near = await visible
                        .Where(c => c.NameKey != null && c.NameKey != nameKey && c.NameKey.StartsWith(prefix) && c.NameKey.Length >= shortest && c.NameKey.Length <= longest)
                        .OrderBy(c => c.NameKey).Select(c => new { c.Id, c.Name, c.NameKey }).Take(MaxCompared).ToListAsync(ct);
                    foreach (var c in near.Where(c => NameKeys.Similar(nameKey, c.NameKey!, person: false) is > 0))
                    {
                        Add(c.Id, c.Name, new DuplicateReason("similarCompanyName", c.NameKey!));
                    }
                }
            }

            return Outcome<LikelyDuplicates>.Ok(new LikelyDuplicates([.. found
                .Select(f => DuplicateScores.Candidate(f.Key, f.Value.Name, f.Value.Reasons))
                .OrderByDescending(c => c.Score).ThenBy(c => c.DisplayName, StringComparer.Ordinal).Take(MaxCandidates)]));
        }
    }

    public static void Map(RouteGroupBuilder contacts, RouteGroupBuilder companies)
    {
        contacts.MapPost("/duplicates", async (JsonElement body, Handler handler, CancellationToken ct) =>
            {
                var probe = JsonBody.Read<ContactProbe>(body);
                var outcome = probe.IsOk ? await handler.ContactsAsync(probe.Value!, ct) : Outcome<LikelyDuplicates>.Invalid(probe.Errors);
                return outcome.ToHttp("contact", TypedResults.Ok);
            })
            .WithName("FindLikelyDuplicateContacts")
            .WithSummary("Contacts the one being typed may duplicate")
            .WithDescription("Body: the fields typed so far (firstName, lastName, emails, phones, companyId, companyIds) and, when editing, excludeId. " +
                             "Answers up to 10 contacts you may read, best first, each with a score 0–100 and the reasons: email or phone (exact: saving " +
                             "is refused with 409 unless allowDuplicate=true), name or similarName at the same company (suggestions only).")
            .Accepts<ContactProbe>("application/json")
            .Produces<LikelyDuplicates>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        companies.MapPost("/duplicates", async (JsonElement body, Handler handler, CancellationToken ct) =>
            {
                var probe = JsonBody.Read<CompanyProbe>(body);
                var outcome = probe.IsOk ? await handler.CompaniesAsync(probe.Value!, ct) : Outcome<LikelyDuplicates>.Invalid(probe.Errors);
                return outcome.ToHttp("company", TypedResults.Ok);
            })
            .WithName("FindLikelyDuplicateCompanies")
            .WithSummary("Companies the one being typed may duplicate")
            .WithDescription("Body: name, domain and, when editing, excludeId. Answers up to 10 companies you may read with a score and reasons: " +
                             "domain (exact; a taken domain is refused on save), companyName (equal once case, punctuation and legal suffixes such as " +
                             "Inc, Ltd, GmbH, 有限公司 are removed) or similarCompanyName (a character or two apart).")
            .Accepts<CompanyProbe>("application/json")
            .Produces<LikelyDuplicates>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }
}
