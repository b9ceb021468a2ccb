using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>PATCH as a JSON merge patch over the contact's writable fields; needs If-Match. Forms send every field and keep what the user may not edit.</summary>
public static class UpdateContact
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser)
    {
        public Task<Outcome<ContactDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct, bool allowDuplicate = false) =>
            ChangeAsync(id, ifMatch, current => JsonBody.Merge(current, patch), allowDuplicate, ct);

        public Task<Outcome<ContactDto>> HandleAsync(Guid id, ContactFields fields, IfMatch ifMatch, CancellationToken ct, bool allowDuplicate = false) =>
            ChangeAsync(id, ifMatch, _ => Outcome<ContactFields>.Ok(fields), allowDuplicate, ct);

        /// <summary>Bulk actions: a change computed from the contact's current fields.</summary>
        public Task<Outcome<ContactDto>> HandleAsync(Guid id, Func<ContactFields, Outcome<ContactFields>> change, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, change, false, ct);

        /// <summary>Batches: every rule of a merge-patch change, and the change, not applied yet.</summary>
        public Task<Outcome<ContactWrite>> CheckAsync(Guid id, JsonElement patch, IfMatch ifMatch, bool allowDuplicate, CancellationToken ct) =>
            CheckAsync(id, ifMatch, current => JsonBody.Merge(current, patch), allowDuplicate, ct);

        private async Task<Outcome<ContactDto>> ChangeAsync(
            Guid id, IfMatch ifMatch, Func<ContactFields, Outcome<ContactFields>> change, bool allowDuplicate, CancellationToken ct)
        {
            var write = await CheckAsync(id, ifMatch, change, allowDuplicate, ct);
            if (write.IsOk)
            {
                write = await write.Value!.SaveAsync(ct);
            }

            return write.IsOk
                ? Outcome<ContactDto>.Ok(ContactDto.From(write.Value!.Contact, await ContactRules.FamilyNameFirstAsync(db, currentUser.WorkspaceId!.Value, ct), write.Value.Custom))
                : write.As<ContactDto>();
        }

        private async Task<Outcome<ContactWrite>> CheckAsync(
            Guid id, IfMatch ifMatch, Func<ContactFields, Outcome<ContactFields>> change, bool allowDuplicate, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<ContactWrite>.IfMatchRequired();
            }

            var (contact, refusal) = await ContactRules.LoadForAsync(db, access, id, AccessAction.Update, false, ct);
            if (contact is null)
            {
                return refusal!.As<ContactWrite>();
            }

            if (ifMatch.Version is { } expected && expected != contact.Version)
            {
                return Outcome<ContactWrite>.Stale();
            }

            var custom = await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct);
            var policy = await access.FieldsAsync(Contact.TypeName, ct);
            var current = contact.Fields with { Custom = custom.ToApi(contact.CustomFields) };
            var changed = change(current);
            if (!changed.IsOk)
            {
                return changed.As<ContactWrite>();
            }

            var fields = changed.Value! with { Custom = changed.Value!.Custom ?? current.Custom };
            var (values, customErrors) = await custom.ApplyAsync(db, contact, fields.Custom, ct);
            if (FieldChanges.Restricted(current, fields, policy, ContactRules.RestrictableFields)
                    .Concat(custom.Restricted(contact.CustomFields, values, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<ContactWrite>.Forbidden($"Your roles do not allow you to change: {string.Join(", ", restricted)}.");
            }

            if (await ContactRules.CheckAssignmentAsync(access, currentUser, contact, fields, ct) is { } refused)
            {
                return refused.As<ContactWrite>();
            }

            var (phones, errors) = await ContactRules.CheckAsync(db, currentUser.WorkspaceId!.Value, fields, ct);
            if (errors.Concat(customErrors).ToDictionary() is { Count: > 0 } all)
            {
                return Outcome<ContactWrite>.Invalid(all);
            }

            // Only emails and phones the change brings in can make it a duplicate.
            var addedEmails = Contact.NormalizeEmails(fields.Emails).Except(contact.Emails).ToList();
            var addedPhones = phones.Select(p => p.E164).Except(contact.Phones).ToList();
            if (!allowDuplicate && await ContactDuplicates.FindAsync(db, access, contact.Id, addedEmails, addedPhones, ct) is { Count: > 0 } duplicates)
            {
                return ContactDuplicates.Refusal<ContactWrite>(duplicates);
            }

            return Outcome<ContactWrite>.Ok(new ContactWrite(db, contact, custom, values, creates: false, addedEmails, addedPhones, allowDuplicate, () =>
            {
                contact.Change(fields, phones);
                contact.SetCustomFields(values);
                db.Entry(contact).Property(c => c.Version).IsModified = true; // company links alone still make a new version
            }));
        }
    }

    public static void Map(RouteGroupBuilder contacts) =>
        contacts.MapPatch("/{id:guid}", async (Guid id, JsonElement body, bool? allowDuplicate, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct, allowDuplicate == true);
                var policy = await access.FieldsAsync(Contact.TypeName, ct);
                return outcome.ToHttp("contact", c =>
                {
                    ETags.Set(http.Response, c.Version);
                    return FieldMask.Json(http, c, policy);
                });
            })
            .WithName("UpdateContact")
            .WithSummary("Change a contact (JSON merge patch, If-Match)")
            .Accepts<ContactFields>("application/merge-patch+json", "application/json")
            .Produces<ContactDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
