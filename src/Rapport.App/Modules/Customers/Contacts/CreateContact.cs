using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Contacts;

public static class CreateContact
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access)
    {
        public async Task<Outcome<ContactDto>> HandleAsync(ContactFields fields, CancellationToken ct, bool allowDuplicate = false)
        {
            var write = await CheckAsync(fields, allowDuplicate, ct);
            if (write.IsOk)
            {
                write = await write.Value!.SaveAsync(ct);
            }

            return write.IsOk
                ? Outcome<ContactDto>.Ok(ContactDto.From(write.Value!.Contact, await ContactRules.FamilyNameFirstAsync(db, currentUser.WorkspaceId!.Value, ct), write.Value.Custom))
                : write.As<ContactDto>();
        }

        /// <summary>Every rule of a create, and the contact it would add; nothing enters the context before the write is applied.</summary>
        public async Task<Outcome<ContactWrite>> CheckAsync(ContactFields fields, bool allowDuplicate, CancellationToken ct)
        {
            if (await access.LevelAsync(Contact.TypeName, AccessAction.Create, ct) == AccessLevel.None)
            {
                return Outcome<ContactWrite>.Forbidden("Your roles do not allow you to create contacts.");
            }

            var policy = await access.FieldsAsync(Contact.TypeName, ct);
            if (FieldChanges.Restricted(new ContactFields(OwnerId: fields.OwnerId), fields, policy, ContactRules.RestrictableFields)
                    .Concat(CustomFieldSet.NotEditable(fields.Custom, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<ContactWrite>.Forbidden($"Your roles do not allow you to set: {string.Join(", ", restricted)}.");
            }

            var workspaceId = currentUser.WorkspaceId!.Value;
            fields = fields with { OwnerId = fields.OwnerId ?? currentUser.UserId };
            if (await ContactRules.CheckAssignmentAsync(access, currentUser, null, fields, ct) is { } refused)
            {
                return refused.As<ContactWrite>();
            }

            var (phones, errors) = await ContactRules.CheckAsync(db, workspaceId, fields, ct);
            var custom = await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct);
            var (values, customErrors) = await custom.ApplyAsync<Contact>(db, null, fields.Custom, ct);
            if (errors.Concat(customErrors).ToDictionary() is { Count: > 0 } all)
            {
                return Outcome<ContactWrite>.Invalid(all);
            }

            var contact = Contact.Create(workspaceId, fields, phones);
            contact.SetCustomFields(values);
            if (!allowDuplicate && await ContactDuplicates.FindAsync(db, access, null, contact.Emails, contact.Phones, ct) is { Count: > 0 } duplicates)
            {
                return ContactDuplicates.Refusal<ContactWrite>(duplicates);
            }

            return Outcome<ContactWrite>.Ok(new ContactWrite(db, contact, custom, values, creates: true, contact.Emails, contact.Phones, allowDuplicate,
                () => db.Add(contact)));
        }
    }

    public static void Map(RouteGroupBuilder contacts) =>
        contacts.MapPost("/", async (JsonElement body, bool? allowDuplicate, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<ContactFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct, allowDuplicate == true) : Outcome<ContactDto>.Invalid(fields.Errors);
                var policy = await access.FieldsAsync(Contact.TypeName, ct);
                return outcome.ToHttp("contact", c =>
                {
                    ETags.Set(http.Response, c.Version);
                    http.Response.Headers.Location = $"/api/v1/contacts/{c.Id}";
                    return FieldMask.Json(http, c, policy, StatusCodes.Status201Created);
                });
            })
            .WithName("CreateContact")
            .WithSummary("Create a contact")
            .WithDescription("Phones are stored in E.164 (numbers without a country code are read with the workspace's default country). " +
                             "A contact with the same email or phone as one you can see is refused with 409 unless allowDuplicate=true. Accepts Idempotency-Key.")
            .Accepts<ContactFields>("application/json")
            .Produces<ContactDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
