using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Currency;

/// <summary>Lists exchange rates (newest effective date first), optionally of one currency; keyset-paged like every list.</summary>
public static class ListExchangeRates
{
    public const string DefaultSort = "-effectiveFrom,currency";

    public static readonly FieldCatalog<ExchangeRate> Fields = new FieldCatalog<ExchangeRate>()
        .Text("currency", r => r.Currency)
        .Text("baseCurrency", r => r.BaseCurrency)
        .Number("rate", r => r.Rate)
        .Date("effectiveFrom", r => r.EffectiveFrom)
        .Instant("createdAt", r => r.CreatedAt);

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<Page<ExchangeRateDto>>> HandleAsync(string? currency, ListRequest request, CancellationToken ct)
        {
            if (await CatalogAccess.RequireAsync<Page<ExchangeRateDto>>(access, ExchangeRate.TypeName, AccessAction.Read, "read exchange rates", ct) is { } refused)
            {
                return refused;
            }

            var rates = db.Set<ExchangeRate>().AsNoTracking();
            if (!string.IsNullOrWhiteSpace(currency))
            {
                var code = currency.Trim().ToUpperInvariant();
                rates = rates.Where(r => r.Currency == code);
            }

            var page = await KeysetPager.PageAsync(rates, request, Fields, DefaultSort, clock.GetUtcNow(), ct);
            return Outcome<Page<ExchangeRateDto>>.Ok(new Page<ExchangeRateDto>([.. page.Data.Select(ExchangeRateDto.From)], page.NextCursor));
        }
    }

    public static void Map(RouteGroupBuilder rates) =>
        rates.MapGet("/", async (string? currency, string? filter, string? sort, int? limit, string? cursor, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(currency, new ListRequest(filter, sort, limit, cursor), ct)).ToHttp("exchange rate", TypedResults.Ok))
            .WithName("ListExchangeRates")
            .WithSummary("List exchange rates")
            .WithDescription("currency: only this ISO 4217 code. filter/sort over currency, baseCurrency, rate, effectiveFrom, createdAt " +
                             "(default -effectiveFrom,currency); limit 1–200, cursor as on every list. Rates entered against an earlier base currency are listed but no longer used.")
            .Produces<Page<ExchangeRateDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
