using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Bulk;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>Up to 1000 companies created or changed in one call, each through the single create's or PATCH's own checks, with a result per item.</summary>
public static class BatchCompanies
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, CreateCompany.Handler create, UpdateCompany.Handler update)
    {
        public Task<Outcome<BatchResult>> HandleAsync(BatchRequest request, CancellationToken ct) =>
            BatchWrites.RunAsync(db, access, Company.TypeName, request, CheckAsync, ct);

        private async Task<Outcome<CompanyWrite>> CheckAsync(BatchItem item, CancellationToken ct)
        {
            if (item.Id is { } id)
            {
                return await update.CheckAsync(id, item.Fields, item.IfMatch, ct);
            }

            var fields = JsonBody.Read<CompanyFields>(item.Fields);
            return fields.IsOk ? await create.CheckAsync(fields.Value!, ct) : fields.As<CompanyWrite>();
        }
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapPost("/batch", async (JsonElement body, Handler handler, CancellationToken ct) =>
            {
                var request = JsonBody.Read<BatchRequest>(body);
                var outcome = request.IsOk ? await handler.HandleAsync(request.Value!, ct) : request.As<BatchResult>();
                return outcome.ToHttp("company", r => TypedResults.Ok(r));
            })
            .WithName("BatchCompanies")
            .WithSummary("Create or change up to 1000 companies")
            .WithDescription("{items: [...]}. An item is the body of POST /companies; an item with id (and optionally version, checked like " +
                             "If-Match) is a merge patch of that company, as PATCH. Each item goes through the same rights, field rights, validation, " +
                             "audit and search index as the single endpoint; a domain another company or an earlier item of the batch has is refused " +
                             "(allowDuplicates does not apply: domains are unique). Answers 200 with {results: [{index, status: created | updated | " +
                             "failed, id, version, problem: invalid | forbidden | notFound | conflict, detail, errors}], created, updated, failed}, in " +
                             "the order of the items; a failed item changes nothing and never undoes another. 403 when your roles allow neither " +
                             "creating nor changing companies. Accepts Idempotency-Key.")
            .Accepts<BatchRequest>("application/json")
            .Produces<BatchResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
