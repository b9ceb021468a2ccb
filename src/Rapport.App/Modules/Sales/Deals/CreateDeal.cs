using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Deals;

public static class CreateDeal
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, RecordDirectory records, TimeProvider clock)
    {
        public async Task<Outcome<DealDto>> HandleAsync(DealFields fields, CancellationToken ct)
        {
            if (await access.LevelAsync(Deal.TypeName, AccessAction.Create, ct) == AccessLevel.None)
            {
                return Outcome<DealDto>.Forbidden("Your roles do not allow you to create deals.");
            }

            var policy = await access.FieldsAsync(Deal.TypeName, ct);
            // Fields a role may not edit may be left out (their defaults apply), not set.
            if (FieldChanges.Restricted(new DealFields(OwnerId: fields.OwnerId), fields, policy, DealRules.RestrictableFields)
                    .Concat(CustomFieldSet.NotEditable(fields.Custom, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<DealDto>.Forbidden($"Your roles do not allow you to set: {string.Join(", ", restricted)}.");
            }

            fields = fields with { OwnerId = fields.OwnerId ?? currentUser.UserId, Currency = fields.Currency ?? await DealRules.BaseCurrencyAsync(db, ct) };
            if (await DealRules.CheckAssignmentAsync(access, currentUser, null, fields, ct) is { } refused)
            {
                return refused;
            }

            var errors = await DealRules.CheckAsync(db, records, fields, ct);
            var (pipeline, stage, stageErrors) = await DealRules.TargetAsync(db, fields, null, ct);
            var custom = await CustomFieldSet.LoadAsync(db, Deal.TypeName, ct);
            var (values, customErrors) = await custom.ApplyAsync<Deal>(db, null, fields.Custom, ct);
            if (errors.Concat(stageErrors).Concat(customErrors).ToDictionary() is { Count: > 0 } all)
            {
                return Outcome<DealDto>.Invalid(all);
            }

            if (StageRequirements.Check<DealDto>(pipeline!, stage!, fields, values, custom) is { } unmet)
            {
                return unmet;
            }

            var (deal, visit) = Deal.Create(currentUser.WorkspaceId!.Value, fields, stage!, clock.GetUtcNow(), currentUser.UserId);
            deal.SetCustomFields(values);
            db.Add(deal);
            db.Add(visit);
            await db.SaveChangesAsync(ct);
            return Outcome<DealDto>.Ok(DealDto.From(deal, stage!.Probability, custom));
        }
    }

    public static void Map(RouteGroupBuilder deals) =>
        deals.MapPost("/", async (JsonElement body, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<DealFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<DealDto>.Invalid(fields.Errors);
                var policy = await access.FieldsAsync(Deal.TypeName, ct);
                return outcome.ToHttp("deal", d =>
                {
                    ETags.Set(http.Response, d.Version);
                    http.Response.Headers.Location = $"/api/v1/deals/{d.Id}";
                    return FieldMask.Json(http, d, policy, StatusCodes.Status201Created);
                });
            })
            .WithName("CreateDeal")
            .WithSummary("Create a deal")
            .WithDescription("The currency defaults to the workspace's base currency, the owner to you, the pipeline to the first one and the stage to its " +
                             "first open stage. Entering a stage needs its required fields (400 naming them in errors and missingFields); a lost stage " +
                             "needs a lostReason. Accepts Idempotency-Key.")
            .Accepts<DealFields>("application/json")
            .Produces<DealDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
