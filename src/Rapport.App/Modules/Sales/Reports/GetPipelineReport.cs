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
/// Deals by stage and close month: count and amount in the base currency. The deals are read by ONE SQL statement that
/// groups them in the database (stage, currency, close year and month, and the close day of won deals, which convert at
/// their close date's rate); no deal row comes into memory.
/// </summary>
public static class GetPipelineReport
{
    /// <param name="Month">The close month, <c>2026-11</c>; null for deals without a close date.</param>
    public sealed record Cell(Guid StageId, string? Month, int Count, decimal Amount, int NotConverted, IReadOnlyList<DealTotals.Missing> Missing);

    public sealed record Stage(Guid Id, Guid PipelineId, string Key, string Label, string? LabelZh, string Kind, int Probability, int Position);

    public sealed record Report(Guid? PipelineId, DateOnly? From, DateOnly? To, string Currency, IReadOnlyList<Stage> Stages, IReadOnlyList<Cell> Cells);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrencyConverter converter, IDealAmountConversion conversion)
    {
        public async Task<Outcome<Report>> HandleAsync(Guid? pipelineId, DateOnly? from, DateOnly? to, CancellationToken ct)
        {
            if (from > to)
            {
                return Outcome<Report>.Invalid("to", "to must be on or after from.");
            }

            if (await access.LevelAsync(Deal.TypeName, AccessAction.Read, ct) == AccessLevel.None)
            {
                return Outcome<Report>.Forbidden("Your roles do not allow you to read deals.");
            }

            if ((await access.FieldsAsync(Deal.TypeName, ct)).IsHidden("amount"))
            {
                return Outcome<Report>.Forbidden("Your roles hide deal amounts, which this report is made of.");
            }

            // The stages come with their pipelines, read once: that read also tells whether pipelineId exists.
            var pipelines = PipelineRules.WithStages(db).AsNoTracking();
            if (pipelineId is { } id)
            {
                pipelines = pipelines.Where(p => p.Id == id);
            }

            var readsPipelines = await PipelineRules.CanReadAsync(access, ct);
            var shown = readsPipelines ? await pipelines.ToListAsync(ct) : [];
            if (pipelineId is not null && shown.Count == 0)
            {
                return Outcome<Report>.NotFound();
            }

            var deals = await access.ScopeAsync(db.Set<Deal>().AsNoTracking(), Deal.TypeName, AccessAction.Read, ct);
            if (pipelineId is { } only)
            {
                deals = deals.Where(d => d.PipelineId == only);
            }

            if (from is { } start)
            {
                deals = deals.Where(d => d.CloseDate >= start);
            }

            if (to is { } end)
            {
                deals = deals.Where(d => d.CloseDate <= end);
            }

            var groups = await deals
                .GroupBy(d => new
                {
                    d.StageId,
                    d.Currency,
                    Year = (int?)d.CloseDate!.Value.Year,
                    Month = (int?)d.CloseDate!.Value.Month,
                    WonDay = d.Status == StageKinds.Won ? (int?)d.CloseDate!.Value.Day : null,
                })
                .Select(g => new { g.Key.StageId, g.Key.Currency, g.Key.Year, g.Key.Month, g.Key.WonDay, Count = g.Count(), WithAmount = g.Count(d => d.Amount != null), Sum = g.Sum(d => d.Amount) ?? 0 })
                .ToListAsync(ct);

            var baseCurrency = await converter.BaseCurrencyAsync(ct);
            var sums = groups.Select(g => new DealTotals.Sum<(Guid, string?)>(
                (g.StageId, g.Year is { } y ? string.Create(CultureInfo.InvariantCulture, $"{y:0000}-{g.Month:00}") : null),
                g.Currency, g.WonDay is { } day && g.Year is { } year ? new DateOnly(year, g.Month!.Value, day) : null, g.WithAmount, g.Sum));
            var totals = await DealTotals.PerKeyAsync(sums, baseCurrency, await converter.TodayAsync(ct), conversion, ct);
            var counts = groups.GroupBy(g => (g.StageId, g.Year, g.Month)).ToDictionary(g => (g.Key.StageId, g.Key.Year is { } y ? string.Create(CultureInfo.InvariantCulture, $"{y:0000}-{g.Key.Month:00}") : null), g => g.Sum(x => x.Count));
            var cells = totals.Select(t => new Cell(t.Key.Item1, t.Key.Item2, counts[t.Key], t.Value.Amount.Amount, t.Value.NotConverted, t.Value.Missing))
                .OrderBy(c => c.StageId).ThenBy(c => c.Month is null).ThenBy(c => c.Month, StringComparer.Ordinal).ToList();

            var stages = shown.OrderBy(p => p.Position)
                .SelectMany(p => p.Stages.Where(s => s.RetiredAt is null || cells.Any(c => c.StageId == s.Id)).OrderBy(s => s.Position)
                    .Select(s => new Stage(s.Id, p.Id, s.Key, s.Label, s.LabelZh, s.Kind, s.Probability, s.Position)))
                .ToList();
            return Outcome<Report>.Ok(new Report(pipelineId, from, to, baseCurrency, stages, cells));
        }
    }

    public static void Map(RouteGroupBuilder reports) =>
        reports.MapGet("/pipeline", async (Guid? pipelineId, DateOnly? from, DateOnly? to, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(pipelineId, from, to, ct)).ToHttp("pipeline", TypedResults.Ok))
            .WithName("GetPipelineReport")
            .WithSummary("Deals by stage and close month: count and amount")
            .WithDescription("The deals you may read (of pipelineId, or of every pipeline), with a close date between from and to (yyyy-MM-dd, both optional, " +
                             "inclusive), per stage and close month (month null: no close date): count and amount in the workspace's base currency — won " +
                             "deals at the exchange rate of their close date, the others at today's; amounts without a rate are counted in notConverted " +
                             "and listed in missing. The deals are grouped by one SQL statement in the database.")
            .Produces<Report>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
