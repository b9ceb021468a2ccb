using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Forecasts;

namespace Rapport.Modules.Sales.Quotas;

public static class CreateQuota
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrencyConverter converter)
    {
        public async Task<Outcome<QuotaDto>> HandleAsync(QuotaFields fields, CancellationToken ct)
        {
            if (!await QuotaAccess.MayAsync(access, AccessAction.Create, ct))
            {
                return Outcome<QuotaDto>.Forbidden("Your roles do not allow you to set quotas.");
            }

            var validation = new QuotaFieldsValidator().Validate(fields);
            if (!validation.IsValid)
            {
                return Outcome<QuotaDto>.Invalid(validation);
            }

            var userId = fields.UserId!.Value;
            if (!await db.Memberships.AnyAsync(m => m.UserId == userId, ct))
            {
                return Outcome<QuotaDto>.Invalid("userId", "The person must be a member of this workspace.");
            }

            var key = SalesPeriod.TryParse(fields.Period, out var period) ? period.ToString() : throw new InvalidOperationException("Validated above.");
            var taken = $"This person already has a quota for {key}: change it instead.";
            if (await db.Set<Quota>().AnyAsync(q => q.UserId == userId && q.Period == key, ct))
            {
                return Outcome<QuotaDto>.Invalid("period", taken);
            }

            var quota = Quota.Create(userId, period, fields.Amount!.Value, await converter.BaseCurrencyAsync(ct));
            db.Add(quota);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<QuotaDto>.Invalid("period", taken);
            }

            return Outcome<QuotaDto>.Ok(QuotaDto.From(quota));
        }
    }

    public static void Map(RouteGroupBuilder quotas) =>
        quotas.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<QuotaFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<QuotaDto>.Invalid(fields.Errors);
                return outcome.ToHttp("quota", q =>
                {
                    ETags.Set(response, q.Version);
                    return TypedResults.Created($"/api/v1/quotas/{q.Id}", q);
                });
            })
            .WithName("CreateQuota")
            .WithSummary("Set a person's quota for a period")
            .WithDescription("Body {\"userId\":\"…\",\"period\":\"2026-Q4\",\"amount\":50000}: what the member is expected to win in that month (2026-11) or " +
                             "fiscal quarter (2026-Q4, by the workspace's fiscal year start), in the workspace's base currency. One quota per person and period. " +
                             "Needs the right to create quotas (administrators, sales managers).")
            .Accepts<QuotaFields>("application/json")
            .Produces<QuotaDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
