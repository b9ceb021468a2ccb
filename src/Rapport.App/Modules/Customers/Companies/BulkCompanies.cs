using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Bulk;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Customers.Companies;

/// <summary>One action on up to 1000 companies, each through the company's own update or delete handler; skipped ones say why.</summary>
public static class BulkCompanies
{
    /// <summary>The built-in fields (custom fields too, as <c>custom.key</c>) <c>update</c> may set on many companies at once.</summary>
    public static readonly string[] UpdatableFields =
        ["industry", "size", "lifecycleStage", "phone", "website", "address.city", "address.region", "address.country", "parentCompanyId", "ownerId", "teamId", "tags"];

    public sealed class Handler(
        RapportDbContext db, IAccessControl access, ICurrentUser currentUser, TimeProvider clock, UpdateCompany.Handler update, DeleteCompany.Handler delete)
    {
        public async Task<Outcome<BulkResult>> HandleAsync(BulkRequest request, CancellationToken ct)
        {
            var custom = await CustomFieldSet.LoadAsync(db, Company.TypeName, ct);
            var plan = await BulkActions.PlanAsync(db.Set<Company>(), access, Company.TypeName, request,
                [.. UpdatableFields, .. custom.Fields.Select(f => CustomFieldSet.Prefix + f.Key)], ct);
            if (!plan.IsOk)
            {
                return plan.Kind == OutcomeKind.Invalid ? Outcome<BulkResult>.Invalid(plan.Errors) : Outcome<BulkResult>.Forbidden(plan.Detail!);
            }

            return Outcome<BulkResult>.Ok(await BulkActions.RunAsync(db, currentUser, clock, Company.TypeName, request, plan.Value!, async id =>
            {
                var outcome = request.Action == BulkAction.Delete
                    ? await delete.HandleAsync(id, IfMatch.Any, ct)
                    : await update.HandleAsync(id, current => Change(current, request), IfMatch.Any, ct);
                return outcome.IsOk ? null : BulkActions.Reason(outcome);
            }, ct));
        }

        private static Outcome<CompanyFields> Change(CompanyFields current, BulkRequest request) => request.Action switch
        {
            BulkAction.AssignOwner => Outcome<CompanyFields>.Ok(current with { OwnerId = request.OwnerId }),
            BulkAction.AddTags => Outcome<CompanyFields>.Ok(current with { Tags = BulkActions.AddTags(current.Tags, request.Tags!) }),
            BulkAction.RemoveTags => Outcome<CompanyFields>.Ok(current with { Tags = BulkActions.RemoveTags(current.Tags, request.Tags!) }),
            _ => JsonBody.Merge(current, JsonBody.PatchOf(request.Field!, request.Value)),
        };
    }

    public static void Map(RouteGroupBuilder companies) =>
        companies.MapPost("/bulk", async (JsonElement body, Handler handler, CancellationToken ct) =>
            {
                var request = JsonBody.Read<BulkRequest>(body);
                var outcome = request.IsOk ? await handler.HandleAsync(request.Value!, ct) : Outcome<BulkResult>.Invalid(request.Errors);
                return outcome.ToHttp("company", r => TypedResults.Ok(r));
            })
            .WithName("BulkCompanies")
            .WithSummary("Apply one action to many companies")
            .WithDescription("{ids (1–1000), action: update | assignOwner | addTags | removeTags | delete, field + value (update), ownerId (assignOwner), tags}. " +
                             "Each company is checked against your record and field rights and changed through the same rules as PATCH or DELETE " +
                             "(audited, versioned; delete moves to the trash), each in its own transaction. Changes need the massUpdate right, delete the delete right. " +
                             "Answers {succeeded: [ids], skipped: [{id, reason}]}. update may set custom fields (custom.<key>) and: " + string.Join(", ", UpdatableFields) + ".")
            .Accepts<BulkRequest>("application/json")
            .Produces<BulkResult>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
