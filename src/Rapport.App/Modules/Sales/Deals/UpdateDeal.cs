using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Deals;

/// <summary>
/// PATCH as a JSON merge patch over the deal's writable fields (If-Match). A new <c>stageId</c> (or <c>pipelineId</c>) moves
/// the deal with the same rules as <see cref="MoveDealToStage"/>: the stage's required fields, a lost reason for a lost stage.
/// </summary>
public static class UpdateDeal
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, RecordDirectory records, TimeProvider clock)
    {
        public Task<Outcome<DealDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, true, current => JsonBody.Merge(current, patch), ct);

        public Task<Outcome<DealDto>> HandleAsync(Guid id, DealFields fields, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, true, _ => Outcome<DealFields>.Ok(fields), ct);

        /// <summary>Moves the deal to a stage (If-Match optional, as for every action endpoint).</summary>
        public Task<Outcome<DealDto>> MoveAsync(Guid id, Guid stageId, string? lostReason, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, false, current => Outcome<DealFields>.Ok(current with { StageId = stageId, LostReason = lostReason ?? current.LostReason }), ct);

        private async Task<Outcome<DealDto>> ChangeAsync(Guid id, IfMatch ifMatch, bool ifMatchRequired, Func<DealFields, Outcome<DealFields>> change, CancellationToken ct)
        {
            if (ifMatchRequired && !ifMatch.Present)
            {
                return Outcome<DealDto>.IfMatchRequired();
            }

            var (deal, refusal) = await DealRules.LoadForAsync(db, access, id, AccessAction.Update, false, ct);
            if (deal is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != deal.Version)
            {
                return Outcome<DealDto>.Stale();
            }

            var custom = await CustomFieldSet.LoadAsync(db, Deal.TypeName, ct);
            var policy = await access.FieldsAsync(Deal.TypeName, ct);
            var current = deal.Fields with { Custom = custom.ToApi(deal.CustomFields) };
            var changed = change(current);
            if (!changed.IsOk)
            {
                return changed.As<DealDto>();
            }

            var fields = changed.Value! with
            {
                Custom = changed.Value!.Custom ?? current.Custom,
                Currency = changed.Value.Currency ?? await DealRules.BaseCurrencyAsync(db, ct),
            };
            var (values, customErrors) = await custom.ApplyAsync(db, deal, fields.Custom, ct);
            if (FieldChanges.Restricted(current, fields, policy, DealRules.RestrictableFields)
                    .Concat(custom.Restricted(deal.CustomFields, values, policy)).ToList() is { Count: > 0 } restricted)
            {
                return Outcome<DealDto>.Forbidden($"Your roles do not allow you to change: {string.Join(", ", restricted)}.");
            }

            if (await DealRules.CheckAssignmentAsync(access, currentUser, deal, fields, ct) is { } refused)
            {
                return refused;
            }

            var errors = await DealRules.CheckAsync(db, records, fields, ct);
            var (pipeline, stage, stageErrors) = await DealRules.TargetAsync(db, fields, deal, ct);
            var reasonErrors = stage is null && errors.Count == 0 ? await DealRules.CheckLostReasonAsync(db, deal, fields.LostReason, ct) : [];
            if (errors.Concat(stageErrors).Concat(customErrors).Concat(reasonErrors).ToDictionary() is { Count: > 0 } all)
            {
                return Outcome<DealDto>.Invalid(all);
            }

            if (stage is not null && StageRequirements.Check<DealDto>(pipeline!, stage, fields, values, custom) is { } unmet)
            {
                return unmet;
            }

            var probabilities = await DealRules.ProbabilitiesAsync(db, ct);
            if (stage is null && JsonSerializer.Serialize(fields) == JsonSerializer.Serialize(current) && values == deal.CustomFields)
            {
                return Outcome<DealDto>.Ok(DealDto.From(deal, probabilities.GetValueOrDefault(deal.StageId), custom)); // nothing to change, no new version
            }

            deal.Change(fields);
            deal.SetCustomFields(values);
            if (stage is not null)
            {
                var open = await db.Set<DealStageVisit>().Where(v => v.DealId == deal.Id && v.LeftAt == null).OrderByDescending(v => v.EnteredAt).FirstOrDefaultAsync(ct);
                db.Add(deal.MoveTo(stage, fields.LostReason, open, clock.GetUtcNow(), currentUser.UserId));
            }
            else
            {
                deal.ChangeLostReason(fields.LostReason);
            }

            db.Entry(deal).Property(d => d.Version).IsModified = true; // contact links alone still make a new version
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<DealDto>.Stale();
            }

            return Outcome<DealDto>.Ok(DealDto.From(deal, stage?.Probability ?? probabilities.GetValueOrDefault(deal.StageId), custom));
        }
    }

    public static void Map(RouteGroupBuilder deals) =>
        deals.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct);
                var policy = await access.FieldsAsync(Deal.TypeName, ct);
                return outcome.ToHttp("deal", d =>
                {
                    ETags.Set(http.Response, d.Version);
                    return FieldMask.Json(http, d, policy);
                });
            })
            .WithName("UpdateDeal")
            .WithSummary("Change a deal (JSON merge patch, If-Match)")
            .WithDescription("A new stageId or pipelineId moves the deal under the rules of POST /deals/{id}/stage.")
            .Accepts<DealFields>("application/merge-patch+json", "application/json")
            .Produces<DealDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
