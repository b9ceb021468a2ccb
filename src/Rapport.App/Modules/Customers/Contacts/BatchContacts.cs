using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Bulk;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Contacts;

/// <summary>Up to 1000 contacts created or changed in one call, each through the single create's or PATCH's own checks, with a result per item.</summary>
public static class BatchContacts
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, CreateContact.Handler create, UpdateContact.Handler update)
    {
        public Task<Outcome<BatchResult>> HandleAsync(BatchRequest request, CancellationToken ct) =>
            BatchWrites.RunAsync(db, access, Contact.TypeName, request, (item, token) => CheckAsync(item, request.AllowDuplicates, token), ct);

        private async Task<Outcome<ContactWrite>> CheckAsync(BatchItem item, bool allowDuplicates, CancellationToken ct)
        {
            if (item.Id is { } id)
            {
                return await update.CheckAsync(id, item.Fields, item.IfMatch, allowDuplicates, ct);
            }

            var fields = JsonBody.Read<ContactFields>(item.Fields);
            return fields.IsOk ? await create.CheckAsync(fields.Value!, allowDuplicates, ct) : fields.As<ContactWrite>();
        }
    }

    public static void Map(RouteGroupBuilder contacts) =>
        contacts.MapPost("/batch", async (JsonElement body, Handler handler, CancellationToken ct) =>
            {
                var request = JsonBody.Read<BatchRequest>(body);
                var outcome = request.IsOk ? await handler.HandleAsync(request.Value!, ct) : request.As<BatchResult>();
                return outcome.ToHttp("contact", r => TypedResults.Ok(r));
            })
            .WithName("BatchContacts")
            .WithSummary("Create or change up to 1000 contacts")
            .WithDescription("{items: [...], allowDuplicates}. An item is the body of POST /contacts; an item with id (and optionally version, " +
                             "checked like If-Match) is a merge patch of that contact, as PATCH. Each item goes through the same rights, field rights, " +
                             "validation, duplicate refusal (also against earlier items of the batch, unless allowDuplicates), audit and search index " +
                             "as the single endpoint. Answers 200 with {results: [{index, status: created | updated | failed, id, version, problem: " +
                             "invalid | forbidden | notFound | conflict, detail, errors}], created, updated, failed}, in the order of the items; a failed " +
                             "item changes nothing and never undoes another. 403 when your roles allow neither creating nor changing contacts. " +
                             "Accepts Idempotency-Key.")
            .Accepts<BatchRequest>("application/json")
            .Produces<BatchResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
