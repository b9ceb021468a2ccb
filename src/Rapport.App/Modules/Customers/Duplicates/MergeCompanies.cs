using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Merging;
using Rapport.Kernel.Security;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>
/// Merges companies into one, in one transaction: the survivor takes the picked values (through <see cref="Company.Change"/>,
/// audited); the merged companies' contacts (their links, without duplicates, and their primary company) and subsidiaries move
/// to it, in the trash too; every registered participant moves its rows; the others become tombstones; one "merge" audit entry
/// lists them. Tags are united.
/// </summary>
public static class MergeCompanies
{
    /// <summary>The fields a company merge can pick, by API name (the address is one field).</summary>
    public static readonly IReadOnlyList<MergeField<CompanyFields>> Fields =
    [
        new("name", f => f.Name, (t, s) => t with { Name = s.Name }),
        new("domain", f => f.Domain, (t, s) => t with { Domain = s.Domain }),
        new("industry", f => f.Industry, (t, s) => t with { Industry = s.Industry }),
        new("phone", f => f.Phone, (t, s) => t with { Phone = s.Phone }),
        new("website", f => f.Website, (t, s) => t with { Website = s.Website }),
        new("address", f => f.Address is { } a && (a.Street ?? a.City ?? a.Region ?? a.PostalCode ?? a.Country) is not null ? a : null,
            (t, s) => t with { Address = s.Address }),
        new("ownerId", f => f.OwnerId, (t, s) => t with { OwnerId = s.OwnerId }),
        new("teamId", f => f.TeamId, (t, s) => t with { TeamId = s.TeamId }),
        new("size", f => f.Size, (t, s) => t with { Size = s.Size }),
        new("annualRevenue", f => f.AnnualRevenue, (t, s) => t with { AnnualRevenue = s.AnnualRevenue }),
        new("parentCompanyId", f => f.ParentCompanyId, (t, s) => t with { ParentCompanyId = s.ParentCompanyId }),
        new("lifecycleStage", f => f.LifecycleStage, (t, s) => t with { LifecycleStage = s.LifecycleStage }),
        new("tags", f => f.Tags ?? [], (t, s) => t with { Tags = s.Tags },
            (t, all) => t with { Tags = [.. all.SelectMany(f => f.Tags ?? []).Distinct(StringComparer.OrdinalIgnoreCase)] }),
    ];

    /// <summary>The built-in fields plus the workspace's custom fields (<c>custom.key</c>).</summary>
    public static IReadOnlyList<MergeField<CompanyFields>> Catalog(CustomFieldSet custom) =>
        [.. Fields, .. custom.Fields.Select(f => RecordMerge.CustomField<CompanyFields>(f.Key, c => c.Custom, (c, values) => c with { Custom = values }))];

    public sealed class Handler(
        RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock, IEnumerable<IRecordMergeParticipant> participants)
    {
        public async Task<Outcome<MergeResult<CompanyDto>>> HandleAsync(MergeRequest request, IfMatch ifMatch, CancellationToken ct)
        {
            var custom = await CustomFieldSet.LoadAsync(db, Company.TypeName, ct);
            var catalog = Catalog(custom);
            if (RecordMerge.Check(request, catalog) is { Count: > 0 } invalid)
            {
                return Outcome<MergeResult<CompanyDto>>.Invalid(invalid);
            }

            var companies = db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter]);
            var (survivor, refusal) = await RecordMerge.LoadAsync<Company, MergeResult<CompanyDto>>(companies, access, Company.TypeName, request.SurvivorId, AccessAction.Update, ct);
            if (survivor is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != survivor.Version)
            {
                return Outcome<MergeResult<CompanyDto>>.Stale();
            }

            var merged = new List<Company>();
            foreach (var id in request.MergedIds)
            {
                var (company, refused) = await RecordMerge.LoadAsync<Company, MergeResult<CompanyDto>>(companies, access, Company.TypeName, id, AccessAction.Delete, ct);
                if (company is null)
                {
                    return refused!;
                }

                merged.Add(company);
            }

            var policy = await access.FieldsAsync(Company.TypeName, ct);
            CompanyFields FieldsOf(Company c) => c.Fields with { Custom = custom.ToApi(c.CustomFields) };
            var (fields, forbidden) = RecordMerge.Combine(catalog, [(survivor.Id, FieldsOf(survivor)), .. merged.Select(m => (m.Id, FieldsOf(m)))], request.Fields, policy);
            var (values, customErrors) = await custom.ApplyAsync(db, survivor, fields.Custom, ct, request.MergedIds);
            if (forbidden.Union(CompanyFieldSecurity.Forbidden(survivor.Fields, fields, policy))
                    .Union(custom.Restricted(survivor.CustomFields, values, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<MergeResult<CompanyDto>>.Forbidden(RecordMerge.Refusal(restricted));
            }

            // A parent among the merged companies would be the survivor itself.
            if (fields.ParentCompanyId is { } parent && (parent == survivor.Id || request.MergedIds.Contains(parent)))
            {
                fields = fields with { ParentCompanyId = null };
            }

            if (await CompanyAccess.CheckAssignmentAsync(access, currentUser, survivor, fields, ct) is { } reassignment)
            {
                return Outcome<MergeResult<CompanyDto>>.Forbidden(reassignment.Detail!);
            }

            if ((await CompanyRules.CheckAsync(db, fields, survivor.Id, ct, request.MergedIds)).Concat(customErrors).ToDictionary() is { Count: > 0 } errors)
            {
                return Outcome<MergeResult<CompanyDto>>.Invalid(errors);
            }

            if (request.Preview)
            {
                survivor.Change(fields); // never saved: this scope's context is dropped with the answer
                survivor.SetCustomFields(values);
                return Outcome<MergeResult<CompanyDto>>.Ok(new(CompanyFieldSecurity.Mask(CompanyDto.From(survivor, custom), policy), request.MergedIds, true));
            }

            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var now = clock.GetUtcNow();
                merged.ForEach(m => m.MarkMergedInto(survivor.Id, now, currentUser.UserId));
                await db.SaveChangesAsync(ct); // first, so the survivor may take a merged company's domain
                survivor.Change(fields);
                survivor.SetCustomFields(values);
                db.Entry(survivor).Property(c => c.Version).IsModified = true; // merging changes the survivor even when no value does
                await MoveContactsAndSubsidiariesAsync(request.MergedIds, survivor.Id, ct);
                await db.SaveChangesAsync(ct);
                await RecordMerge.MoveRelatedAsync(db, participants, Company.TypeName, request.MergedIds, survivor.Id, ct);
                RecordMerge.Audit(db, Company.TypeName, request);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<MergeResult<CompanyDto>>.Stale();
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return await custom.UniqueErrorsAsync(db, survivor.Id, values, ct) is { Count: > 0 } taken
                    ? Outcome<MergeResult<CompanyDto>>.Invalid(taken)
                    : Outcome<MergeResult<CompanyDto>>.Invalid("domain", "Another company already has this domain.");
            }

            return Outcome<MergeResult<CompanyDto>>.Ok(new(CompanyFieldSecurity.Mask(CompanyDto.From(survivor, custom), policy), request.MergedIds, false));
        }

        /// <summary>
        /// Every contact of a merged company — whoever may see it, and in the trash too, so nothing points at a tombstone — now works
        /// for the survivor; subsidiaries now hang on it. Each is an audited change of that record.
        /// </summary>
        private async Task MoveContactsAndSubsidiariesAsync(IReadOnlyList<Guid> mergedIds, Guid survivorId, CancellationToken ct)
        {
            var contacts = await ContactRules.WithLinks(db.Set<Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]))
                .Where(c => c.Companies.Any(l => mergedIds.Contains(l.CompanyId))).ToListAsync(ct);
            foreach (var contact in contacts)
            {
                foreach (var mergedId in mergedIds)
                {
                    contact.MoveCompany(mergedId, survivorId);
                }

                db.Entry(contact).Property(c => c.Version).IsModified = true; // a moved link alone still makes a new version
            }

            var subsidiaries = await db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter])
                .Where(c => c.ParentCompanyId != null && mergedIds.Contains(c.ParentCompanyId.Value) && c.Id != survivorId && !mergedIds.Contains(c.Id)).ToListAsync(ct);
            subsidiaries.ForEach(c => c.ChangeParent(survivorId));
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapPost("/merge", async (JsonElement body, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var request = JsonBody.Read<MergeRequest>(body);
                var outcome = request.IsOk ? await handler.HandleAsync(request.Value!, ETags.ReadIfMatch(http.Request), ct) : Outcome<MergeResult<CompanyDto>>.Invalid(request.Errors);
                var policy = await access.FieldsAsync(Company.TypeName, ct);
                return outcome.ToHttp("company", r =>
                {
                    ETags.Set(http.Response, r.Survivor.Version);
                    return FieldMask.Json(http, r, policy);
                });
            })
            .WithName("MergeCompanies")
            .WithSummary("Merge duplicate companies into one")
            .WithDescription("Body: {survivorId, mergedIds: [1–9 ids], fields: {fieldName: recordId}, preview}. Needs the right to change the survivor " +
                             "and to delete each merged company; If-Match (optional) is the survivor's ETag. Unpicked fields keep the survivor's value " +
                             "(or a merged one's where the survivor has none); tags are united. The merged companies' contacts and subsidiaries move to " +
                             "the survivor; the merged ids then answer 404 of type https://rapport.dev/problems/merged with mergedIntoId. " +
                             "allowDuplicate is ignored; preview=true changes nothing.")
            .Accepts<MergeRequest>("application/json")
            .Produces<MergeResult<CompanyDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
