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
using Rapport.Modules.Customers.Contacts;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>
/// Merges contacts into one, in one transaction: the survivor takes the picked values (through <see cref="Contact.Change"/>,
/// audited), every registered participant moves its rows (shares, notes, files…), the others become tombstones pointing
/// at the survivor, and one "merge" audit entry lists them. Emails, phones, tags and companies are united.
/// </summary>
public static class MergeContacts
{
    /// <summary>The fields a contact merge can pick, by API name.</summary>
    public static readonly IReadOnlyList<MergeField<ContactFields>> Fields =
    [
        new("firstName", f => f.FirstName, (t, s) => t with { FirstName = s.FirstName }),
        new("lastName", f => f.LastName, (t, s) => t with { LastName = s.LastName }),
        new("emails", f => f.Emails ?? [], (t, s) => t with { Emails = s.Emails },
            (t, all) => t with { Emails = [.. all.SelectMany(f => f.Emails ?? []).Select(e => e.Trim().ToLowerInvariant()).Distinct()] }),
        new("phones", f => f.Phones ?? [], (t, s) => t with { Phones = s.Phones },
            (t, all) => t with { Phones = [.. all.SelectMany(f => f.Phones ?? []).Distinct()] }),
        new("jobTitle", f => f.JobTitle, (t, s) => t with { JobTitle = s.JobTitle }),
        new("birthday", f => f.Birthday, (t, s) => t with { Birthday = s.Birthday }),
        new("companyId", f => ContactFields.AllCompanies(f), (t, s) => t with { CompanyId = s.CompanyId, CompanyIds = s.CompanyIds },
            (t, all) => t with { CompanyId = all.Select(f => f.CompanyId).FirstOrDefault(c => c is not null), CompanyIds = [.. all.SelectMany(ContactFields.AllCompanies).Distinct()] }),
        new("ownerId", f => f.OwnerId, (t, s) => t with { OwnerId = s.OwnerId }),
        new("teamId", f => f.TeamId, (t, s) => t with { TeamId = s.TeamId }),
        new("lifecycleStage", f => f.LifecycleStage, (t, s) => t with { LifecycleStage = s.LifecycleStage }),
        new("source", f => f.Source, (t, s) => t with { Source = s.Source }),
        new("preferredLanguage", f => f.PreferredLanguage, (t, s) => t with { PreferredLanguage = s.PreferredLanguage }),
        new("tags", f => f.Tags ?? [], (t, s) => t with { Tags = s.Tags },
            (t, all) => t with { Tags = [.. all.SelectMany(f => f.Tags ?? []).Distinct(StringComparer.OrdinalIgnoreCase)] }),
    ];

    /// <summary>The built-in fields plus the workspace's custom fields (<c>custom.key</c>).</summary>
    public static IReadOnlyList<MergeField<ContactFields>> Catalog(CustomFieldSet custom) =>
        [.. Fields, .. custom.Fields.Select(f => RecordMerge.CustomField<ContactFields>(f.Key, c => c.Custom, (c, values) => c with { Custom = values }))];

    public sealed class Handler(
        RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock, IEnumerable<IRecordMergeParticipant> participants)
    {
        public async Task<Outcome<MergeResult<ContactDto>>> HandleAsync(MergeRequest request, IfMatch ifMatch, CancellationToken ct)
        {
            var custom = await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct);
            var catalog = Catalog(custom);
            if (RecordMerge.Check(request, catalog) is { Count: > 0 } invalid)
            {
                return Outcome<MergeResult<ContactDto>>.Invalid(invalid);
            }

            var contacts = ContactRules.WithLinks(db.Set<Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]));
            var (survivor, refusal) = await RecordMerge.LoadAsync<Contact, MergeResult<ContactDto>>(contacts, access, Contact.TypeName, request.SurvivorId, AccessAction.Update, ct);
            if (survivor is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != survivor.Version)
            {
                return Outcome<MergeResult<ContactDto>>.Stale();
            }

            var merged = new List<Contact>();
            foreach (var id in request.MergedIds)
            {
                var (contact, refused) = await RecordMerge.LoadAsync<Contact, MergeResult<ContactDto>>(contacts, access, Contact.TypeName, id, AccessAction.Delete, ct);
                if (contact is null)
                {
                    return refused!;
                }

                merged.Add(contact);
            }

            var policy = await access.FieldsAsync(Contact.TypeName, ct);
            ContactFields FieldsOf(Contact c) => c.Fields with { Custom = custom.ToApi(c.CustomFields) };
            var (fields, forbidden) = RecordMerge.Combine(catalog, [(survivor.Id, FieldsOf(survivor)), .. merged.Select(m => (m.Id, FieldsOf(m)))], request.Fields, policy);
            var (values, customErrors) = await custom.ApplyAsync(db, survivor, fields.Custom, ct, request.MergedIds);
            if (forbidden.Union(FieldChanges.Restricted(survivor.Fields, fields, policy, ContactRules.RestrictableFields))
                    .Union(custom.Restricted(survivor.CustomFields, values, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<MergeResult<ContactDto>>.Forbidden(RecordMerge.Refusal(restricted));
            }

            if (await ContactRules.CheckAssignmentAsync(access, currentUser, survivor, fields, ct) is { } reassignment)
            {
                return Outcome<MergeResult<ContactDto>>.Forbidden(reassignment.Detail!);
            }

            var workspaceId = currentUser.WorkspaceId!.Value;
            var (phones, errors) = await ContactRules.CheckAsync(db, workspaceId, fields, ct);
            if (errors.Concat(customErrors).ToDictionary() is { Count: > 0 } all)
            {
                return Outcome<MergeResult<ContactDto>>.Invalid(all);
            }

            // What the survivor gains may be a third contact's email or phone: the same rule as on save.
            var gainedEmails = (fields.Emails ?? []).Select(e => e.Trim().ToLowerInvariant()).Except(survivor.Emails).ToList();
            var gainedPhones = phones.Select(p => p.E164).Except(survivor.Phones).ToList();
            if (!request.AllowDuplicate
                && await ContactDuplicates.FindAsync(db, access, survivor.Id, gainedEmails, gainedPhones, ct, request.MergedIds) is { Count: > 0 } duplicates)
            {
                return ContactDuplicates.Refusal<MergeResult<ContactDto>>(duplicates);
            }

            var familyFirst = await ContactRules.FamilyNameFirstAsync(db, workspaceId, ct);
            if (request.Preview)
            {
                survivor.Change(fields, phones); // never saved: this scope's context is dropped with the answer
                survivor.SetCustomFields(values);
                return Outcome<MergeResult<ContactDto>>.Ok(new(ContactDto.From(survivor, familyFirst, custom), request.MergedIds, true));
            }

            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var now = clock.GetUtcNow();
                merged.ForEach(m => m.MarkMergedInto(survivor.Id, now, currentUser.UserId));
                await db.SaveChangesAsync(ct);
                survivor.Change(fields, phones);
                survivor.SetCustomFields(values);
                db.Entry(survivor).Property(c => c.Version).IsModified = true; // merging changes the survivor even when no value does
                await db.SaveChangesAsync(ct);
                await RecordMerge.MoveRelatedAsync(db, participants, Contact.TypeName, request.MergedIds, survivor.Id, ct);
                RecordMerge.Audit(db, Contact.TypeName, request);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<MergeResult<ContactDto>>.Stale();
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<MergeResult<ContactDto>>.Invalid(await custom.UniqueErrorsAsync(db, survivor.Id, values, ct));
            }

            return Outcome<MergeResult<ContactDto>>.Ok(new(ContactDto.From(survivor, familyFirst, custom), request.MergedIds, false));
        }
    }

    public static void Map(RouteGroupBuilder contacts) =>
        contacts.MapPost("/merge", async (JsonElement body, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var request = JsonBody.Read<MergeRequest>(body);
                var outcome = request.IsOk ? await handler.HandleAsync(request.Value!, ETags.ReadIfMatch(http.Request), ct) : Outcome<MergeResult<ContactDto>>.Invalid(request.Errors);
                var policy = await access.FieldsAsync(Contact.TypeName, ct);
                return outcome.ToHttp("contact", r =>
                {
                    ETags.Set(http.Response, r.Survivor.Version);
                    return FieldMask.Json(http, r, policy);
                });
            })
            .WithName("MergeContacts")
            .WithSummary("Merge duplicate contacts into one")
            .WithDescription("Body: {survivorId, mergedIds: [1–9 ids], fields: {fieldName: recordId}, allowDuplicate, preview}. Needs the right to change the " +
                             "survivor and to delete each merged contact; If-Match (optional) is the survivor's ETag. Unpicked fields keep the survivor's " +
                             "value (or a merged one's where the survivor has none); emails, phones, tags and companies are united, the picked record's " +
                             "first. Fields you may not edit keep the survivor's value. Everything linked to the merged contacts moves to the survivor; " +
                             "the merged ids then answer 404 of type https://rapport.dev/problems/merged with mergedIntoId. preview=true changes nothing.")
            .Accepts<MergeRequest>("application/json")
            .Produces<MergeResult<ContactDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
