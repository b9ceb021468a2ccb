using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Currency;

public static class CreateExchangeRate
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrencyConverter converter)
    {
        public async Task<Outcome<ExchangeRateDto>> HandleAsync(ExchangeRateFields fields, CancellationToken ct)
        {
            if (await CatalogAccess.RequireAsync<ExchangeRateDto>(access, ExchangeRate.TypeName, AccessAction.Create, "add exchange rates", ct) is { } refused)
            {
                return refused;
            }

            var baseCurrency = await converter.BaseCurrencyAsync(ct);
            var validation = new ExchangeRateFieldsValidator(baseCurrency).Validate(fields);
            if (!validation.IsValid)
            {
                return Outcome<ExchangeRateDto>.Invalid(validation);
            }

            var currency = fields.Currency.Trim().ToUpperInvariant();
            var day = fields.EffectiveFrom!.Value;
            var taken = $"{currency} already has a rate effective from {day:yyyy-MM-dd}. Delete it first to replace it.";
            if (await db.Set<ExchangeRate>().AnyAsync(r => r.BaseCurrency == baseCurrency && r.Currency == currency && r.EffectiveFrom == day, ct))
            {
                return Outcome<ExchangeRateDto>.Invalid("effectiveFrom", taken);
            }

            var rate = ExchangeRate.Create(currency, baseCurrency, fields.Rate!.Value, day);
            db.Add(rate);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<ExchangeRateDto>.Invalid("effectiveFrom", taken);
            }

            return Outcome<ExchangeRateDto>.Ok(ExchangeRateDto.From(rate));
        }
    }

    public static void Map(RouteGroupBuilder rates) =>
        rates.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<ExchangeRateFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<ExchangeRateDto>.Invalid(fields.Errors);
                return outcome.ToHttp("exchange rate", r =>
                {
                    ETags.Set(response, r.Version);
                    return TypedResults.Created($"/api/v1/exchange-rates/{r.Id}", r);
                });
            })
            .WithName("CreateExchangeRate")
            .WithSummary("Add an exchange rate")
            .WithDescription("Body {\"currency\":\"USD\",\"rate\":7.1234,\"effectiveFrom\":\"2026-01-01\"}: from that day on, 1 USD is worth 7.1234 units of the " +
                             "workspace's base currency (until a later rate). Not the base currency itself; rate > 0 with up to 10 decimals; one rate per currency and day.")
            .Accepts<ExchangeRateFields>("application/json")
            .Produces<ExchangeRateDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
