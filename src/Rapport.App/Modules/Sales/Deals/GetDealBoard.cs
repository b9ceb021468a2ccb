using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Deals;

/// <summary>
/// A pipeline's kanban: per stage the number of deals the caller may read (under a filter), their total in the workspace's
/// base currency, and the first cards. Counts and sums come from one GROUP BY in the database; cards from one keyset query per stage.
/// </summary>
public static class GetDealBoard
{
    public const int DefaultCards = 25;
    public const int MaxCards = 100;
    public const string DefaultSort = "closeDate,name";

    /// <param name="Total">Sum of the amounts in the base currency; null when the caller may not see amounts.</param>
    /// <param name="NotInTotal">Deals with an amount in a currency without a rate on the day it converts at, left out of the total.</param>
    /// <param name="Missing">Those amounts, per currency and day: the rates to add.</param>
    public sealed record Column(Guid StageId, int Count, Money? Total, int NotInTotal, IReadOnlyList<DealTotals.Missing> Missing, IReadOnlyList<DealDto> Deals);

    public sealed record Board(Guid PipelineId, string Currency, IReadOnlyList<Column> Columns);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ListDeals.Handler list, IDealAmountConversion conversion, ICurrencyConverter converter, TimeProvider clock)
    {
        public async Task<Outcome<Board>> HandleAsync(Guid pipelineId, string? filter, string? sort, int? cards, CancellationToken ct)
        {
            if (cards is < 1 or > MaxCards)
            {
                return Outcome<Board>.Invalid("cards", $"cards must be between 1 and {MaxCards}.");
            }

            if (!await PipelineRules.CanReadAsync(access, ct)
                || await PipelineRules.WithStages(db).AsNoTracking().SingleOrDefaultAsync(p => p.Id == pipelineId, ct) is not { } pipeline)
            {
                return Outcome<Board>.NotFound();
            }

            var now = clock.GetUtcNow();
            var source = await list.SourceAsync(false, ct);
            var deals = source.Query.Where(d => d.PipelineId == pipelineId);
            if (!string.IsNullOrWhiteSpace(filter))
            {
                deals = deals.Where(FilterCompiler.Compile(filter, source.Fields, now));
            }

            // Won deals convert at their close date's rate, the others at today's: the won ones are grouped by close date too.
            var sums = await deals.GroupBy(d => new { d.StageId, d.Currency, On = d.Status == StageKinds.Won ? d.CloseDate : null })
                .Select(g => new { g.Key.StageId, g.Key.Currency, g.Key.On, Count = g.Count(), WithAmount = g.Count(d => d.Amount != null), Sum = g.Sum(d => d.Amount) ?? 0 })
                .ToListAsync(ct);
            var baseCurrency = await DealRules.BaseCurrencyAsync(db, ct);
            var totals = source.Policy.IsHidden("amount") ? null
                : await DealTotals.PerKeyAsync(sums.Select(s => new DealTotals.Sum<Guid>(s.StageId, s.Currency, s.On, s.WithAmount, s.Sum)),
                    baseCurrency, await converter.TodayAsync(ct), conversion, ct);

            var columns = new List<Column>();
            foreach (var stage in pipeline.CurrentStages)
            {
                var page = await KeysetPager.PageAsync(deals.Where(d => d.StageId == stage.Id), new ListRequest(null, sort ?? DefaultSort, cards ?? DefaultCards),
                    source.Fields, DefaultSort, now, ct);
                var total = totals?.GetValueOrDefault(stage.Id);
                columns.Add(new Column(stage.Id, sums.Where(s => s.StageId == stage.Id).Sum(s => s.Count),
                    totals is null ? null : total?.Amount ?? new Money(0, baseCurrency), total?.NotConverted ?? 0, total?.Missing ?? [],
                    [.. page.Data.Select(d => DealDto.From(d, stage.Probability, source.Custom))]));
            }

            return Outcome<Board>.Ok(new Board(pipeline.Id, baseCurrency, columns));
        }
    }

    public static void Map(RouteGroupBuilder pipelines) =>
        pipelines.MapGet("/{id:guid}/board", async (Guid id, string? filter, string? sort, int? cards, Handler handler, IAccessControl access, HttpContext http, CancellationToken ct) =>
            {
                var outcome = await handler.HandleAsync(id, filter, sort, cards, ct);
                var policy = await access.FieldsAsync(Deal.TypeName, ct);
                return outcome.ToHttp("pipeline", board => FieldMask.Json(http, board, policy));
            })
            .WithName("GetDealBoard")
            .WithSummary("A pipeline's deal board: count, total and first cards per stage")
            .WithDescription("The deals you may read in this pipeline, under filter (as for GET /deals), per current stage in order: count, total in the " +
                             "workspace's base currency (won deals at the exchange rate of their close date, the others at today's; amounts without a rate " +
                             "are left out, counted in notInTotal and listed in missing per currency and day), and the first " +
                             "cards (1–100, default 25) sorted by sort (default closeDate,name).")
            .Produces<Board>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
