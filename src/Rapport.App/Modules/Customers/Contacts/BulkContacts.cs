using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Bulk;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>One action on up to 1000 contacts, each through the contact's own update or delete handler; skipped ones say why.</summary>
public static class BulkContacts
{
    /// <summary>The built-in fields (custom fields too, as <c>custom.key</c>) <c>update</c> may set on many contacts at once.</summary>
    public static readonly string[] UpdatableFields = ["jobTitle", "lifecycleStage", "source", "preferredLanguage", "companyId", "ownerId", "teamId", "tags"];

    public sealed class Handler(
        RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock, UpdateContact.Handler update, DeleteContact.Handler delete)
    {
        public async Task<Outcome<BulkResult>> HandleAsync(BulkRequest request, CancellationToken ct)
        {
            var custom = await CustomFieldSet.LoadAsync(db, Contact.TypeName, ct);
            var plan = await BulkActions.PlanAsync(db.Set<Contact>(), access, Contact.TypeName, request,
                [.. UpdatableFields, .. custom.Fields.Select(f => CustomFieldSet.Prefix + f.Key)], ct);
            if (!plan.IsOk)
            {
                return plan.Kind == OutcomeKind.Invalid ? Outcome<BulkResult>.Invalid(plan.Errors) : Outcome<BulkResult>.Forbidden(plan.Detail!);
            }

            return Outcome<BulkResult>.Ok(await BulkActions.RunAsync(db, currentUser, clock, Contact.TypeName, request, plan.Value!, async id =>
            {
                var outcome = request.Action == BulkAction.Delete
                    ? await delete.HandleAsync(id, IfMatch.Any, false, ct)
                    : await update.HandleAsync(id, current => Change(current, request), IfMatch.Any, ct);
                return outcome.IsOk ? null : BulkActions.Reason(outcome);
            }, ct));
        }

        private static Outcome<ContactFields> Change(ContactFields current, BulkRequest request) => request.Action switch
        {
            BulkAction.AssignOwner => Outcome<ContactFields>.Ok(current with { OwnerId = request.OwnerId }),
            BulkAction.AddTags => Outcome<ContactFields>.Ok(current with { Tags = BulkActions.AddTags(current.Tags, request.Tags!) }),
            BulkAction.RemoveTags => Outcome<ContactFields>.Ok(current with { Tags = BulkActions.RemoveTags(current.Tags, request.Tags!) }),
            _ => JsonBody.Merge(current, JsonBody.PatchOf(request.Field!, request.Value)),
        };
    }

    public static void Map(RouteGroupBuilder contacts) =>
        contacts.MapPost("/bulk", async (JsonElement body, Handler handler, CancellationToken ct) =>
            {
                var request = JsonBody.Read<BulkRequest>(body);
                var outcome = request.IsOk ? await handler.HandleAsync(request.Value!, ct) : Outcome<BulkResult>.Invalid(request.Errors);
                return outcome.ToHttp("contact", r => TypedResults.Ok(r));
            })
            .WithName("BulkContacts")
            .WithSummary("Apply one action to many contacts")
            .WithDescription("{ids (1–1000), action: update | assignOwner | addTags | removeTags | delete, field + value (update), ownerId (assignOwner), tags}. " +
                             "Each contact is checked against your record and field rights and changed through the same rules as PATCH or DELETE " +
                             "(audited, versioned; delete moves to the trash), each in its own transaction. Changes need the massUpdate right, delete the delete right. " +
                             "Answers {succeeded: [ids], skipped: [{id, reason}]}. update may set custom fields (custom.<key>) and: " + string.Join(", ", UpdatableFields) + ".")
            .Accepts<BulkRequest>("application/json")
            .Produces<BulkResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
