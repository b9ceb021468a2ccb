using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Deals;
using Rapport.Modules.Sales.Pipelines;

namespace Rapport.Modules.Sales.Reports;

/// <summary>
/// The sales dashboard's figures over the deals the caller may read closing in a range (default: the twelve months up to
/// the end of this month, in the workspace's time zone): the funnel of a pipeline (deals that reached each stage, from
/// the stage history), win rate, average won deal, sales cycle, and won revenue per close month. Sums are grouped in
/// the database (the pipeline report's statement); amounts in the base currency as everywhere.
/// </summary>
public static class GetSalesDashboard
{
    public const int MaxMonths = 60;

    public sealed record FunnelStage(Guid StageId, string Label, string? LabelZh, string Kind, int Deals);

    public sealed record MonthFigure(string Month, int Deals, decimal Amount);

    /// <param name="WinRate">Won ÷ (won + lost) deals closing in the range, in % (1 decimal); null when none closed.</param>
    /// <param name="AverageDealSize">Won amount ÷ won deals; null without won deals.</param>
    /// <param name="SalesCycleDays">Average days from a won deal's creation to its win (1 decimal); null without won deals.</param>
    public sealed record Dashboard(DateOnly From, DateOnly To, string Currency, Guid? PipelineId, IReadOnlyList<FunnelStage> Funnel,
        int Won, int Lost, decimal? WinRate, decimal WonAmount, decimal? AverageDealSize, decimal? SalesCycleDays,
        IReadOnlyList<MonthFigure> WonByMonth, int NotConverted, IReadOnlyList<DealTotals.Missing> Missing);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrencyConverter converter, GetPipelineReport.Handler report)
    {
        public async Task<Outcome<Dashboard>> HandleAsync(Guid? pipelineId, DateOnly? from, DateOnly? to, CancellationToken ct)
        {
            var today = await converter.TodayAsync(ct);
            var end = to ?? new DateOnly(today.Year, today.Month, 1).AddMonths(1).AddDays(-1);
            var start = from ?? new DateOnly(end.Year, end.Month, 1).AddMonths(-11);
            if (start > end)
            {
                return Outcome<Dashboard>.Invalid("to", "to must be on or after from.");
            }

            if (start.AddMonths(MaxMonths) <= end)
            {
                return Outcome<Dashboard>.Invalid("from", $"The range spans at most {MaxMonths} months.");
            }

            var all = await report.HandleAsync(null, start, end, ct);
            if (!all.IsOk)
            {
                return all.As<Dashboard>();
            }

            var figures = all.Value!;
            var kinds = figures.Stages.ToDictionary(s => s.Id, s => s.Kind);
            var won = figures.Cells.Where(c => kinds.GetValueOrDefault(c.StageId) == StageKinds.Won).ToList();
            var wonCount = won.Sum(c => c.Count);
            var lostCount = figures.Cells.Where(c => kinds.GetValueOrDefault(c.StageId) == StageKinds.Lost).Sum(c => c.Count);
            var wonAmount = won.Sum(c => c.Amount);
            var months = Enumerable.Range(0, (end.Year - start.Year) * 12 + end.Month - start.Month + 1)
                .Select(i => new DateOnly(start.Year, start.Month, 1).AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture))
                .Select(m => new MonthFigure(m, won.Where(c => c.Month == m).Sum(c => c.Count), won.Where(c => c.Month == m).Sum(c => c.Amount)))
                .ToList();

            var deals = await access.ScopeAsync(db.Set<Deal>().AsNoTracking(), Deal.TypeName, AccessAction.Read, ct);
            deals = deals.Where(d => d.CloseDate >= start && d.CloseDate <= end);

            // Sales cycle: the won deals' creation and win instants (two columns of the won deals in the range).
            var cycles = await deals.Where(d => d.Status == StageKinds.Won).Select(d => new { d.CreatedAt, d.StageEnteredAt }).ToListAsync(ct);
            decimal? cycle = cycles.Count == 0 ? null
                : Math.Round((decimal)cycles.Average(c => (c.StageEnteredAt - c.CreatedAt).TotalDays), 1, MidpointRounding.AwayFromZero);

            var pipeline = pipelineId ?? (figures.Stages.Count > 0 ? figures.Stages[0].PipelineId : (Guid?)null);
            var funnel = new List<FunnelStage>();
            if (pipeline is { } shown)
            {
                var inPipeline = deals.Where(d => d.PipelineId == shown).Select(d => d.Id);
                var reached = await db.Set<DealStageVisit>().AsNoTracking().Where(v => inPipeline.Contains(v.DealId))
                    .GroupBy(v => v.StageId).Select(g => new { StageId = g.Key, Deals = g.Select(v => v.DealId).Distinct().Count() })
                    .ToDictionaryAsync(g => g.StageId, g => g.Deals, ct);
                funnel = [.. figures.Stages.Where(s => s.PipelineId == shown)
                    .Select(s => new FunnelStage(s.Id, s.Label, s.LabelZh, s.Kind, reached.GetValueOrDefault(s.Id)))];
            }

            return Outcome<Dashboard>.Ok(new Dashboard(start, end, figures.Currency, pipeline, funnel, wonCount, lostCount,
                wonCount + lostCount == 0 ? null : Math.Round(wonCount * 100m / (wonCount + lostCount), 1, MidpointRounding.AwayFromZero),
                wonAmount, wonCount == 0 ? null : Math.Round(wonAmount / wonCount, Currencies.MinorUnits(figures.Currency), MidpointRounding.AwayFromZero),
                cycle, months, figures.Cells.Sum(c => c.NotConverted), DealTotals.Merge(figures.Cells.SelectMany(c => c.Missing))));
        }
    }

    public static void Map(RouteGroupBuilder reports) =>
        reports.MapGet("/sales-dashboard", async (Guid? pipelineId, DateOnly? from, DateOnly? to, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(pipelineId, from, to, ct)).ToHttp("pipeline", TypedResults.Ok))
            .WithName("GetSalesDashboard")
            .WithSummary("The sales dashboard's figures")
            .WithDescription("Over the deals you may read with a close date between from and to (default: the 12 months up to the end of this month): " +
                             "funnel = per stage of pipelineId (default the first pipeline), the deals that ever entered it; winRate = won ÷ (won + lost) in %; " +
                             "averageDealSize = won amount ÷ won deals; salesCycleDays = average days from creation to win; wonByMonth = won deals and amount " +
                             "per close month. Amounts in the base currency (won deals at their close date's rate); those without a rate are in missing.")
            .Produces<Dashboard>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
