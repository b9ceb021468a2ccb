using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Contracts;
using Rapport.Modules.Sales.Deals;
using Rapport.Modules.Sales.Pipelines;
using Rapport.Modules.Sales.Quotas;

namespace Rapport.Modules.Sales.Forecasts;

/// <summary>
/// The forecast of a month or fiscal quarter per owner or team, over the deals the caller may read whose close date falls
/// in the period (lost deals left out): closed won; commit (open deals of forecast category commit); best case (open deals
/// of category best case, commit included); the whole open pipeline, unweighted and weighted by stage probability (deals
/// of category omitted left out). A deal's category is the one set on it, else its stage's (<see cref="ForecastCategories"/>:
/// commit from <see cref="CommitProbability"/> %, best case from <see cref="BestCaseProbability"/> %); the quota and its attainment (closed won ÷ quota). Sums come
/// from one GROUP BY in the database; amounts convert to the base currency (won deals at their close date's rate, open
/// ones at today's) and those without a rate are listed, not dropped.
/// </summary>
public static class GetForecast
{
    public const int CommitProbability = ForecastCategories.CommitProbability;
    public const int BestCaseProbability = ForecastCategories.BestCaseProbability;
    public const string ByOwner = "owner";
    public const string ByTeam = "team";

    /// <param name="Id">The owner's user id or the team's id; null for deals without one (and for the total).</param>
    /// <param name="Quota">The quota of the period (a quarter's own quota, else the sum of its months'); null when none is set.</param>
    /// <param name="Attainment">Closed won as a percentage of the quota (1 decimal); null without a quota.</param>
    /// <param name="NotConverted">Deals with an amount left out of these figures for want of an exchange rate; <paramref name="Missing"/> says which.</param>
    public sealed record Line(Guid? Id, string? Name, decimal ClosedWon, decimal Commit, decimal BestCase, decimal Pipeline, decimal WeightedPipeline,
        decimal? Quota, decimal? Attainment, int WonDeals, int OpenDeals, int NotConverted, IReadOnlyList<DealTotals.Missing> Missing);

    public sealed record Forecast(string Period, DateOnly From, DateOnly To, string GroupBy, string Currency, IReadOnlyList<Line> Groups, Line Total);

    private sealed class Row
    {
        public Guid? Group { get; init; }
        public string Status { get; init; } = "";
        public Guid StageId { get; init; }
        public string? Category { get; init; }
        public string Currency { get; init; } = "";
        public DateOnly? On { get; init; }
        public decimal? Amount { get; init; }
    }

    private enum Measure { ClosedWon, Commit, BestCase, Pipeline, Weighted }

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser user, ICurrencyConverter converter,
        IDealAmountConversion conversion, IMemberDirectory members)
    {
        public async Task<Outcome<Forecast>> HandleAsync(string? period, string? groupBy, CancellationToken ct)
        {
            groupBy = string.IsNullOrWhiteSpace(groupBy) ? ByOwner : groupBy.Trim().ToLowerInvariant();
            var errors = new Dictionary<string, string[]>();
            if (groupBy is not (ByOwner or ByTeam))
            {
                errors["groupBy"] = ["groupBy must be owner or team."];
            }

            SalesPeriod? parsed = null;
            if (!string.IsNullOrWhiteSpace(period) && !SalesPeriod.TryParse(period, out parsed))
            {
                errors["period"] = [$"Period must be {SalesPeriod.Format}, e.g. 2026-11 or 2026-Q4."];
            }

            if (errors.Count > 0)
            {
                return Outcome<Forecast>.Invalid(errors);
            }

            if (await access.LevelAsync(Deal.TypeName, AccessAction.Read, ct) == AccessLevel.None)
            {
                return Outcome<Forecast>.Forbidden("Your roles do not allow you to read deals.");
            }

            if ((await access.FieldsAsync(Deal.TypeName, ct)).IsHidden("amount"))
            {
                return Outcome<Forecast>.Forbidden("Your roles hide deal amounts, which a forecast is made of.");
            }

            var workspace = await db.Workspaces.Where(w => w.Id == db.WorkspaceId).Select(w => new { w.FiscalYearStartMonth, w.BaseCurrency }).SingleAsync(ct);
            var today = await converter.TodayAsync(ct);
            parsed ??= SalesPeriod.QuarterOf(today, workspace.FiscalYearStartMonth);
            var (from, to) = parsed.Days(workspace.FiscalYearStartMonth);
            var byTeam = groupBy == ByTeam;

            var deals = (await access.ScopeAsync(db.Set<Deal>().AsNoTracking(), Deal.TypeName, AccessAction.Read, ct))
                .Where(d => d.CloseDate >= from && d.CloseDate <= to && d.Status != StageKinds.Lost)
                .Where(d => d.Status == StageKinds.Won || d.ForecastCategory == null || d.ForecastCategory != ForecastCategories.Omitted);
            var rows = byTeam
                ? deals.Select(d => new Row { Group = d.TeamId, Status = d.Status, StageId = d.StageId, Category = d.ForecastCategory, Currency = d.Currency, On = d.Status == StageKinds.Won ? d.CloseDate : null, Amount = d.Amount })
                : deals.Select(d => new Row { Group = d.OwnerId, Status = d.Status, StageId = d.StageId, Category = d.ForecastCategory, Currency = d.Currency, On = d.Status == StageKinds.Won ? d.CloseDate : null, Amount = d.Amount });
            var sums = await rows.GroupBy(r => new { r.Group, r.Status, r.StageId, r.Category, r.Currency, r.On })
                .Select(g => new { g.Key.Group, g.Key.Status, g.Key.StageId, g.Key.Category, g.Key.Currency, g.Key.On, Count = g.Count(), WithAmount = g.Count(r => r.Amount != null), Sum = g.Sum(r => r.Amount) ?? 0 })
                .ToListAsync(ct);

            var probabilities = await DealRules.ProbabilitiesAsync(db, ct);
            var parts = new List<DealTotals.Sum<(Guid?, Measure)>>();
            foreach (var s in sums)
            {
                void Add(Measure measure, decimal factor) =>
                    parts.Add(new DealTotals.Sum<(Guid?, Measure)>((s.Group, measure), s.Currency, s.On, s.WithAmount, s.Sum * factor));
                if (s.Status == StageKinds.Won)
                {
                    Add(Measure.ClosedWon, 1);
                    continue;
                }

                var probability = probabilities.GetValueOrDefault(s.StageId);
                var category = ForecastCategories.Of(s.Status, s.Category, probability); // omitted ones were left out by the query
                Add(Measure.Pipeline, 1);
                Add(Measure.Weighted, probability / 100m);
                if (category == ForecastCategories.Commit)
                {
                    Add(Measure.Commit, 1);
                }

                if (category is ForecastCategories.Commit or ForecastCategories.BestCase)
                {
                    Add(Measure.BestCase, 1);
                }
            }

            var totals = await DealTotals.PerKeyAsync(parts, workspace.BaseCurrency, today, conversion, ct);
            var quotas = await QuotasAsync(parsed, workspace.FiscalYearStartMonth, workspace.BaseCurrency, ct);
            var groupQuotas = byTeam ? await TeamQuotasAsync(quotas, ct) : quotas;
            var names = byTeam ? await members.TeamNamesAsync(ct) : await members.DisplayNamesAsync(ct);

            Line LineOf(Guid? id, string? name, decimal? quota, Func<Measure, DealTotals.Total?> total, Func<string, int> count)
            {
                decimal Amount(Measure m) => total(m)?.Amount.Amount ?? 0;
                var counted = new[] { total(Measure.ClosedWon), total(Measure.Pipeline) }.OfType<DealTotals.Total>().ToList();
                var won = Amount(Measure.ClosedWon);
                return new Line(id, name, won, Amount(Measure.Commit), Amount(Measure.BestCase), Amount(Measure.Pipeline), Amount(Measure.Weighted),
                    quota, quota is > 0 ? Math.Round(won / quota.Value * 100, 1, MidpointRounding.AwayFromZero) : null,
                    count(StageKinds.Won), count(StageKinds.Open), counted.Sum(t => t.NotConverted), DealTotals.Merge(counted.SelectMany(t => t.Missing)));
            }

            var groups = sums.Select(s => s.Group).Concat(groupQuotas.Keys.Select(k => (Guid?)k)).Distinct()
                .Select(id => LineOf(id, id is { } known ? names.GetValueOrDefault(known) : null,
                    id is { } key && groupQuotas.TryGetValue(key, out var q) ? q : null,
                    m => totals.GetValueOrDefault((id, m)), status => sums.Where(s => s.Group == id && s.Status == status).Sum(s => s.Count)))
                .OrderByDescending(l => l.ClosedWon).ThenBy(l => l.Name is null).ThenBy(l => l.Name, StringComparer.CurrentCulture).ToList();
            var zero = DealTotals.Total.Zero(workspace.BaseCurrency);
            var total = LineOf(null, null, quotas.Count > 0 ? quotas.Values.Sum() : null,
                m => totals.Where(t => t.Key.Item2 == m).Select(t => t.Value).Aggregate(zero, (a, b) => a.Add(b)),
                status => sums.Where(s => s.Status == status).Sum(s => s.Count));
            return Outcome<Forecast>.Ok(new Forecast(parsed.ToString(), from, to, groupBy, workspace.BaseCurrency, groups, total));
        }

        /// <summary>Per person whose quota the caller may read: the period's quota (a quarter's own, else the sum of its months').</summary>
        private async Task<Dictionary<Guid, decimal>> QuotasAsync(SalesPeriod period, int fiscalYearStartMonth, string baseCurrency, CancellationToken ct)
        {
            if (await QuotaAccess.ReadableAsync(db, access, user, ct) is not { } readable)
            {
                return [];
            }

            var months = period.Months(fiscalYearStartMonth).Select(m => m.ToString()).ToList();
            var keys = months.Append(period.ToString()).Distinct().ToList();
            var set = await readable.AsNoTracking().Where(q => keys.Contains(q.Period) && q.Currency == baseCurrency)
                .Select(q => new { q.UserId, q.Period, q.Amount }).ToListAsync(ct);
            return set.GroupBy(q => q.UserId).ToDictionary(g => g.Key,
                g => g.FirstOrDefault(q => q.Period == period.ToString())?.Amount ?? g.Where(q => months.Contains(q.Period)).Sum(q => q.Amount));
        }

        /// <summary>A team's quota: the sum of its members' quotas.</summary>
        private async Task<Dictionary<Guid, decimal>> TeamQuotasAsync(Dictionary<Guid, decimal> quotas, CancellationToken ct)
        {
            if (quotas.Count == 0)
            {
                return [];
            }

            var people = quotas.Keys.ToList();
            var memberships = await db.Set<TeamMember>().AsNoTracking().Where(m => people.Contains(m.UserId)).Select(m => new { m.TeamId, m.UserId }).ToListAsync(ct);
            return memberships.GroupBy(m => m.TeamId).ToDictionary(g => g.Key, g => g.Sum(m => quotas[m.UserId]));
        }
    }

    public static void Map(RouteGroupBuilder forecasts) =>
        forecasts.MapGet("/", async (string? period, string? groupBy, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(period, groupBy, ct)).ToHttp("forecast", TypedResults.Ok))
            .WithName("GetForecast")
            .WithSummary("Forecast of a month or fiscal quarter per owner or team, against quota")
            .WithDescription(
                "period: 2026-11 (a month) or 2026-Q4 (a fiscal quarter: fiscal year N starts in the workspace's fiscal-year start month of year N, so with " +
                "April FY2026-Q4 is January–March 2027); default the current fiscal quarter in the workspace's time zone. groupBy: owner (default) or team. " +
                "Over the deals you may read whose close date is in the period, lost deals left out: closedWon = won deals; " +
                "commit = open deals of forecast category commit; bestCase = open deals of category bestCase or commit; pipeline = all open deals but those " +
                "of category omitted, unweighted; weightedPipeline = the same weighted, Σ amount × stage probability. A deal's category is the forecastCategory set on " +
                $"it, else its stage's: commit from a probability of {CommitProbability}%, bestCase from {BestCaseProbability}%, else pipeline. quota = the person's quota for the " +
                "period (a quarter's own quota, else the sum of its months'; a team's is the sum of its members'), attainment = closedWon ÷ quota in %. All in the " +
                "workspace's base currency: won deals at the exchange rate of their close date, open ones at today's; deals whose amount has no rate are counted " +
                "in notConverted and listed in missing (currency, day, deals, amount) instead of being dropped. total sums every group.")
            .Produces<Forecast>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
