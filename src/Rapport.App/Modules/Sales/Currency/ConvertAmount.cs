using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Currency;

/// <summary>Converts an amount at the workspace's rates on a day, as totals and reports do.</summary>
public static class ConvertAmount
{
    public sealed record Conversion(decimal Amount, string Currency, decimal Converted, string To, DateOnly On);

    public sealed class Handler(ICurrencyConverter converter, IAccessControl access)
    {
        public async Task<Outcome<Conversion>> HandleAsync(decimal? amount, string? from, string? to, DateOnly? on, CancellationToken ct)
        {
            if (await CatalogAccess.RequireAsync<Conversion>(access, ExchangeRate.TypeName, AccessAction.Read, "read exchange rates", ct) is { } refused)
            {
                return refused;
            }

            var (source, target) = (from?.Trim().ToUpperInvariant(), to?.Trim().ToUpperInvariant());
            var errors = new Dictionary<string, string[]>();
            if (amount is null || Math.Abs(amount.Value) > 1_000_000_000_000m)
            {
                errors["amount"] = ["Amount is required, between -10^12 and 10^12."];
            }

            foreach (var (field, code) in new[] { ("from", source), ("to", target) })
            {
                if (!Currencies.IsKnown(code))
                {
                    errors[field] = ["Give an ISO 4217 code, such as CNY or USD."];
                }
            }

            if (errors.Count > 0)
            {
                return Outcome<Conversion>.Invalid(errors);
            }

            var day = on ?? await converter.TodayAsync(ct);
            try
            {
                var converted = await converter.ConvertAsync(new Money(amount!.Value, source!), target!, day, ct);
                return Outcome<Conversion>.Ok(new Conversion(amount.Value, source!, converted.Amount, target!, day));
            }
            catch (MissingExchangeRateException e)
            {
                return Outcome<Conversion>.Invalid(e.Currency == source ? "from" : "to", e.Message);
            }
        }
    }

    public static void Map(RouteGroupBuilder rates) =>
        rates.MapGet("/convert", async (decimal? amount, string? from, string? to, DateOnly? on, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(amount, from, to, on, ct)).ToHttp("exchange rate", TypedResults.Ok))
            .WithName("ConvertAmount")
            .WithSummary("Convert an amount between currencies")
            .WithDescription("amount, from, to (ISO 4217), on (yyyy-MM-dd, default today in the workspace's time zone). Uses each currency's rate in force " +
                             "that day: amount × rate(from) ÷ rate(to), rounded once to the target's minor units, half away from zero. " +
                             "A missing rate is a 400 naming the currency and day.")
            .Produces<Conversion>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
