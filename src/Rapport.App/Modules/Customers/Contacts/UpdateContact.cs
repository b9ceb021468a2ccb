using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
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

        private async Task<Outcome<ContactDto>> ChangeAsync(
            Guid id, IfMatch ifMatch, Func<ContactFields, Outcome<ContactFields>> change, bool allowDuplicate, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<ContactDto>.IfMatchRequired();
            }

            var (contact, refusal) = await ContactRules.LoadForAsync(db, access, id, AccessAction.Update, false, ct);
            if (contact is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != contact.Version)
            {
                return Outcome<ContactDto>.Stale();
            }

            var custom = await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct);
            var policy = await access.FieldsAsync(Contact.TypeName, ct);
            var current = contact.Fields with { Custom = custom.ToApi(contact.CustomFields) };
            var fields = change(current);
            if (!fields.IsOk)
            {
                return Outcome<ContactDto>.Invalid(fields.Errors);
            }

            if (fields.Value!.Custom is null)
            {
                fields = Outcome<ContactFields>.Ok(fields.Value with { Custom = current.Custom });
            }

            var (values, customErrors) = await custom.ApplyAsync(db, contact, fields.Value!.Custom, ct);
            if (FieldChanges.Restricted(current, fields.Value!, policy, ContactRules.RestrictableFields)
                    .Concat(custom.Restricted(contact.CustomFields, values, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<ContactDto>.Forbidden($"Your roles do not allow you to change: {string.Join(", ", restricted)}.");
            }

            if (await ContactRules.CheckAssignmentAsync(access, currentUser, contact, fields.Value!, ct) is { } refused)
            {
                return refused;
            }

            var workspaceId = currentUser.WorkspaceId!.Value;
            var (phones, errors) = await ContactRules.CheckAsync(db, workspaceId, fields.Value!, ct);
            if (errors.Concat(customErrors).ToDictionary() is { Count: > 0 } all)
            {
                return Outcome<ContactDto>.Invalid(all);
            }

            var (emailsBefore, phonesBefore) = (contact.Emails, contact.Phones);
            contact.Change(fields.Value!, phones);
            contact.SetCustomFields(values);
            var addedEmails = contact.Emails.Except(emailsBefore).ToList();
            var addedPhones = contact.Phones.Except(phonesBefore).ToList();
            if (!allowDuplicate && await ContactDuplicates.FindAsync(db, access, contact.Id, addedEmails, addedPhones, ct) is { Count: > 0 } duplicates)
            {
                return ContactDuplicates.Refusal<ContactDto>(duplicates);
            }

            db.Entry(contact).Property(c => c.Version).IsModified = true; // company links alone still make a new version
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<ContactDto>.Stale();
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<ContactDto>.Invalid(await custom.UniqueErrorsAsync(db, contact.Id, values, ct));
            }

            return Outcome<ContactDto>.Ok(ContactDto.From(contact, await ContactRules.FamilyNameFirstAsync(db, workspaceId, ct), custom));
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
