using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Forecasts;

namespace Rapport.Modules.Sales.Quotas;

/// <summary>Lists the quotas the caller may read (all for quota managers, else their own), optionally of one period or person.</summary>
public static class ListQuotas
{
    public const string DefaultSort = "period,createdAt";

    public static readonly FieldCatalog<Quota> Fields = new FieldCatalog<Quota>()
        .Id("userId", q => q.UserId)
        .Text("period", q => q.Period)
        .Number("amount", q => q.Amount)
        .Text("currency", q => q.Currency)
        .Instant("createdAt", q => q.CreatedAt);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser user, TimeProvider clock)
    {
        public async Task<Outcome<Page<QuotaDto>>> HandleAsync(string? period, Guid? userId, ListRequest request, CancellationToken ct)
        {
            if (await QuotaAccess.ReadableAsync(db, access, user, ct) is not { } quotas)
            {
                return Outcome<Page<QuotaDto>>.Forbidden("Your roles do not allow you to read quotas.");
            }

            if (period is not null)
            {
                if (!SalesPeriod.TryParse(period, out var parsed))
                {
                    return Outcome<Page<QuotaDto>>.Invalid("period", $"Period must be {SalesPeriod.Format}.");
                }

                var key = parsed.ToString();
                quotas = quotas.Where(q => q.Period == key);
            }

            if (userId is { } person)
            {
                quotas = quotas.Where(q => q.UserId == person);
            }

            var page = await KeysetPager.PageAsync(quotas.AsNoTracking(), request, Fields, DefaultSort, clock.GetUtcNow(), ct);
            return Outcome<Page<QuotaDto>>.Ok(new Page<QuotaDto>([.. page.Data.Select(QuotaDto.From)], page.NextCursor));
        }
    }

    public static void Map(RouteGroupBuilder quotas) =>
        quotas.MapGet("/", async (string? period, Guid? userId, string? filter, string? sort, int? limit, string? cursor, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(period, userId, new ListRequest(filter, sort, limit, cursor), ct)).ToHttp("quota", TypedResults.Ok))
            .WithName("ListQuotas")
            .WithSummary("List quotas")
            .WithDescription("Those who may change quotas (administrators, sales managers) see everyone's; others who may read quotas see their own. " +
                             "period: 2026-11 or 2026-Q4; userId: one person. filter/sort over userId, period, amount, currency, createdAt (default period,createdAt); limit 1–200, cursor.")
            .Produces<Page<QuotaDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
