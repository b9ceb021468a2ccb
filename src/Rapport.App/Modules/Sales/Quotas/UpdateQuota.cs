using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Quotas;

/// <summary>PATCH a quota's amount (merge patch, If-Match); its person and period stay (delete it and set another instead).</summary>
public static class UpdateQuota
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser user)
    {
        public Task<Outcome<QuotaDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            HandleAsync(id, current => JsonBody.Merge(current, patch), ifMatch, ct);

        public async Task<Outcome<QuotaDto>> HandleAsync(Guid id, Func<QuotaFields, Outcome<QuotaFields>> change, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<QuotaDto>.IfMatchRequired();
            }

            var (quota, refusal) = await QuotaAccess.LoadForAsync(db, access, user, id, AccessAction.Update, ct);
            if (quota is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != quota.Version)
            {
                return Outcome<QuotaDto>.Stale();
            }

            var changed = change(new QuotaFields(quota.UserId, quota.Period, quota.Amount));
            if (!changed.IsOk)
            {
                return changed.As<QuotaDto>();
            }

            var fields = changed.Value!;
            var validation = new QuotaFieldsValidator().Validate(fields);
            if (!validation.IsValid)
            {
                return Outcome<QuotaDto>.Invalid(validation);
            }

            if (fields.UserId != quota.UserId || fields.Period?.Trim().ToUpperInvariant() != quota.Period)
            {
                return Outcome<QuotaDto>.Invalid(fields.UserId != quota.UserId ? "userId" : "period",
                    "A quota's person and period do not change: delete it and set a new one.");
            }

            quota.ChangeAmount(fields.Amount!.Value);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<QuotaDto>.Stale();
            }

            return Outcome<QuotaDto>.Ok(QuotaDto.From(quota));
        }
    }

    public static void Map(RouteGroupBuilder quotas) =>
        quotas.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct)).ToHttp("quota", q =>
                {
                    ETags.Set(http.Response, q.Version);
                    return TypedResults.Ok(q);
                }))
            .WithName("UpdateQuota")
            .WithSummary("Change a quota's amount (JSON merge patch)")
            .WithDescription("Send the ETag in If-Match. {\"amount\":60000}; the person and period stay. Needs the right to change quotas.")
            .Accepts<QuotaFields>("application/merge-patch+json", "application/json")
            .Produces<QuotaDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
