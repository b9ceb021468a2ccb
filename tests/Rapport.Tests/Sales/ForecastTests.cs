using System.Net;
using System.Text.Json.Nodes;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>
/// Forecasts, quotas and the pipeline report against figures worked out by hand: a CNY workspace in Shanghai whose fiscal
/// year starts in April (so 2026-Q4 is January–March 2027), USD deals converted at two rates, an EUR deal without a rate.
/// </summary>
public sealed class ForecastTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task ConfigureAsync(Tenant admin, string timeZone = "Asia/Shanghai", int fiscalYearStartMonth = 4)
    {
        var etag = (await admin.Client.GetAsync("/api/v1/workspace", Ct)).Headers.ETag!.Tag;
        var changed = await admin.Client.PatchJsonAsync("/api/v1/workspace", new { baseCurrency = "CNY", timeZone, fiscalYearStartMonth }, etag);
        Assert.True(changed.StatusCode == HttpStatusCode.OK, await changed.Content.ReadAsStringAsync(Ct));
    }

    private static async Task RateAsync(Tenant admin, string currency, decimal rate, string effectiveFrom) =>
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/exchange-rates", new { currency, rate, effectiveFrom })).StatusCode);

    private static async Task<Guid> QuotaAsync(Tenant admin, Guid userId, string period, decimal amount)
    {
        var response = await admin.Client.PostJsonAsync("/api/v1/quotas", new { userId, period, amount });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>());
    }

    /// <summary>Today in the workspace's time zone, as the server reckons it.</summary>
    private static DateOnly TodayIn(string zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime);

    private static JsonNode Group(JsonNode forecast, Guid? id) =>
        forecast["groups"]!.AsArray().Single(g => (g!["id"]?.GetValue<string>()) == id?.ToString())!;

    private static decimal D(JsonNode node, string field) => node[field]!.GetValue<decimal>();

    /// <summary>The deals of the hand-computed example; returns the admin and the rep (with the rep's team).</summary>
    private static async Task<(Tenant Admin, Tenant Rep, Guid Team)> ExampleAsync(RapportFactory factory)
    {
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        await ConfigureAsync(admin);
        await RateAsync(admin, "USD", 7.0m, "2026-01-01");
        await RateAsync(admin, "USD", 7.2m, "2027-02-01"); // after today: only won deals closing from then on use it
        var team = Guid.Parse((await (await admin.Client.PostJsonAsync("/api/v1/teams", new { name = "East", memberIds = new[] { rep.UserId } })).JsonAsync())["id"]!.GetValue<string>());
        var (_, stages) = await admin.Client.DefaultPipelineAsync();
        async Task Deal(Tenant who, string name, string stage, decimal amount, string currency, string close, Guid? ownerId = null, Guid? teamId = null) =>
            await who.Client.CreateDealAsync(new { name, stageId = stages[stage], amount, currency, closeDate = close, lostReason = stage == "lost" ? "price" : null, ownerId = ownerId ?? who.UserId, teamId });
        await Deal(admin, "a", "won", 1000, "CNY", "2027-01-01"); // first day of the quarter: in
        await Deal(admin, "b", "won", 100, "USD", "2027-02-15"); // 7.2 → 720
        await Deal(admin, "c", "won", 100, "USD", "2027-01-10"); // 7.0 → 700
        await Deal(admin, "d", "negotiation", 500, "CNY", "2027-03-31"); // 80 %: commit; last day: in
        await Deal(admin, "e", "proposal", 10, "USD", "2027-03-01"); // 50 %: best case; today's rate 7.0 → 70
        await Deal(admin, "f", "qualification", 1000, "CNY", "2027-02-01"); // 10 %: pipeline only
        await Deal(admin, "g", "won", 999, "CNY", "2026-12-31"); // the day before: out
        await Deal(admin, "h", "negotiation", 777, "CNY", "2027-04-01"); // the day after: out
        await Deal(admin, "i", "lost", 5000, "CNY", "2027-02-02"); // lost: out
        await Deal(admin, "j", "proposal", 50, "EUR", "2027-02-02"); // no EUR rate: reported, not counted
        await Deal(admin, "k", "won", 300, "CNY", "2027-03-15", rep.UserId, team);
        await QuotaAsync(admin, admin.UserId, "2026-Q4", 4840);
        foreach (var month in new[] { "2027-01", "2027-02", "2027-03" })
        {
            await QuotaAsync(admin, rep.UserId, month, 200);
        }

        await QuotaAsync(admin, rep.UserId, "2026-12", 1000); // another quarter's month
        return (admin, rep, team);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_forecast_of_a_fiscal_quarter_matches_the_hand_computed_figures(string provider)
    {
        var factory = hosts.For(provider);
        var (admin, rep, _) = await ExampleAsync(factory);

        var forecast = await admin.Client.GetJsonAsync("/api/v1/forecasts?period=2026-q4&groupBy=owner");

        Assert.Equal("2026-Q4", forecast["period"]!.GetValue<string>());
        Assert.Equal("2027-01-01", forecast["from"]!.GetValue<string>());
        Assert.Equal("2027-03-31", forecast["to"]!.GetValue<string>());
        Assert.Equal("CNY", forecast["currency"]!.GetValue<string>());
        var mine = Group(forecast, admin.UserId);
        Assert.Equal(2420m, D(mine, "closedWon")); // 1000 + 720 + 700
        Assert.Equal(500m, D(mine, "commit"));
        Assert.Equal(570m, D(mine, "bestCase")); // 500 + 70
        Assert.Equal(1570m, D(mine, "pipeline")); // 500 + 70 + 1000
        Assert.Equal(535m, D(mine, "weightedPipeline")); // 400 + 35 + 100
        Assert.Equal(4840m, D(mine, "quota"));
        Assert.Equal(50.0m, D(mine, "attainment"));
        Assert.Equal(3, mine["wonDeals"]!.GetValue<int>());
        Assert.Equal(4, mine["openDeals"]!.GetValue<int>());
        Assert.Equal(1, mine["notConverted"]!.GetValue<int>());
        var missing = mine["missing"]!.AsArray().Single()!;
        Assert.Equal("EUR", missing["currency"]!.GetValue<string>());
        Assert.Equal(TodayIn("Asia/Shanghai").ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), missing["on"]!.GetValue<string>());
        Assert.Equal(50m, D(missing, "amount"));

        var reps = Group(forecast, rep.UserId);
        Assert.Equal(300m, D(reps, "closedWon"));
        Assert.Equal(600m, D(reps, "quota")); // no quarter quota: the sum of its three months
        Assert.Equal(50.0m, D(reps, "attainment"));

        var total = forecast["total"]!;
        Assert.Equal(2720m, D(total, "closedWon"));
        Assert.Equal(5440m, D(total, "quota"));
        Assert.Equal(50.0m, D(total, "attainment"));
        Assert.Equal(1, total["notConverted"]!.GetValue<int>());

        // By team: the rep's deal is East's, with the rep's quota; the admin's deals have no team.
        var byTeam = await admin.Client.GetJsonAsync("/api/v1/forecasts?period=2026-Q4&groupBy=team");
        var team = Guid.Parse(byTeam["groups"]!.AsArray().First(g => g!["id"] is not null)!["id"]!.GetValue<string>());
        Assert.Equal("East", Group(byTeam, team)["name"]!.GetValue<string>());
        Assert.Equal(300m, D(Group(byTeam, team), "closedWon"));
        Assert.Equal(600m, D(Group(byTeam, team), "quota"));
        Assert.Equal(2420m, D(Group(byTeam, null), "closedWon"));
        Assert.Null(Group(byTeam, null)["quota"]);

        // A month: February only; the rep has no deal then but a quota, so a line with nothing won.
        var february = await admin.Client.GetJsonAsync("/api/v1/forecasts?period=2027-02");
        Assert.Equal(720m, D(Group(february, admin.UserId), "closedWon"));
        Assert.Equal(1000m, D(Group(february, admin.UserId), "pipeline"));
        Assert.Equal(0m, D(Group(february, rep.UserId), "closedWon"));
        Assert.Equal(200m, D(Group(february, rep.UserId), "quota"));
        Assert.Equal(0m, D(Group(february, rep.UserId), "attainment"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Without_a_period_the_forecast_is_the_current_fiscal_quarter_in_the_workspace_time_zone(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        const string zone = "Pacific/Kiritimati"; // UTC+14: a day ahead of UTC for ten hours of every day
        await ConfigureAsync(admin, zone, fiscalYearStartMonth: 10);
        var today = TodayIn(zone);
        var monthsIn = (today.Month - 10 + 12) % 12;
        var expected = $"{(today.Month >= 10 ? today.Year : today.Year - 1)}-Q{monthsIn / 3 + 1}";
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-(monthsIn % 3));

        var forecast = await admin.Client.GetJsonAsync("/api/v1/forecasts");

        Assert.Equal(expected, forecast["period"]!.GetValue<string>());
        Assert.Equal(first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), forecast["from"]!.GetValue<string>());
        Assert.Equal(first.AddMonths(3).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), forecast["to"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Board_totals_convert_won_deals_at_their_close_date_rate_open_ones_at_today_and_list_missing_rates(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        await ConfigureAsync(admin, "UTC", 1);
        var today = TodayIn("UTC");
        await RateAsync(admin, "USD", 7.0m, "2020-01-01");
        await RateAsync(admin, "USD", 8.0m, today.AddDays(-10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var (pipeline, stages) = await admin.Client.DefaultPipelineAsync();
        await admin.Client.CreateDealAsync(new { name = "Won long ago", stageId = stages["won"], amount = 100, currency = "USD", closeDate = "2021-06-30" });
        await admin.Client.CreateDealAsync(new { name = "Won lately", stageId = stages["won"], amount = 100, currency = "USD", closeDate = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        await admin.Client.CreateDealAsync(new { name = "Open", amount = 100, currency = "USD", closeDate = "2021-06-30" });
        await admin.Client.CreateDealAsync(new { name = "Open in yen", amount = 1000, currency = "JPY" });

        var board = await admin.Client.GetJsonAsync($"/api/v1/pipelines/{pipeline}/board");

        var columns = board["columns"]!.AsArray();
        var won = columns.Single(c => c!["stageId"]!.GetValue<string>() == stages["won"].ToString())!;
        Assert.Equal(1500m, won["total"]!["amount"]!.GetValue<decimal>()); // 700 at the 2021 rate + 800 at today's
        var open = columns[0]!;
        Assert.Equal(800m, open["total"]!["amount"]!.GetValue<decimal>()); // today's rate, whatever the close date
        Assert.Equal(1, open["notInTotal"]!.GetValue<int>());
        var missing = open["missing"]!.AsArray().Single()!;
        Assert.Equal("JPY", missing["currency"]!.GetValue<string>());
        Assert.Equal(1000m, missing["amount"]!.GetValue<decimal>());
        Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), missing["on"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_rep_forecasts_only_their_own_deals_and_reads_only_their_own_quotas(string provider)
    {
        var factory = hosts.For(provider);
        var (admin, rep, _) = await ExampleAsync(factory);
        var roleless = await factory.InviteAsync(admin);
        var stranger = await factory.SignUpAsync();

        var forecast = await rep.Client.GetJsonAsync("/api/v1/forecasts?period=2026-Q4");
        Assert.Equal([rep.UserId.ToString()], forecast["groups"]!.AsArray().Select(g => g!["id"]!.GetValue<string>()));
        Assert.Equal(300m, D(forecast["total"]!, "closedWon"));
        Assert.Equal(600m, D(forecast["total"]!, "quota"));

        var repQuotas = (await rep.Client.GetJsonAsync("/api/v1/quotas"))["data"]!.AsArray();
        Assert.Equal(4, repQuotas.Count);
        Assert.All(repQuotas, q => Assert.Equal(rep.UserId.ToString(), q!["userId"]!.GetValue<string>()));
        var adminsQuota = (await admin.Client.GetJsonAsync($"/api/v1/quotas?userId={admin.UserId}"))["data"]!.AsArray().Single()!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync($"/api/v1/quotas/{adminsQuota}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PostJsonAsync("/api/v1/quotas", new { userId = rep.UserId, period = "2027-Q1", amount = 1 })).StatusCode);
        var own = repQuotas.Single(q => q!["period"]!.GetValue<string>() == "2027-01")!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PatchJsonAsync($"/api/v1/quotas/{own}", new { amount = 1 }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.DeleteAsync($"/api/v1/quotas/{own}", "*")).StatusCode);

        // No role: no forecast, no quotas, no report. Another workspace: none of this workspace's figures or quotas.
        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.Client.GetAsync("/api/v1/forecasts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.Client.GetAsync("/api/v1/quotas", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.Client.GetAsync("/api/v1/reports/pipeline", Ct)).StatusCode);
        var theirs = await stranger.Client.GetJsonAsync("/api/v1/forecasts?period=2026-Q4");
        Assert.Empty(theirs["groups"]!.AsArray());
        Assert.Equal(0m, D(theirs["total"]!, "closedWon"));
        Assert.Empty((await stranger.Client.GetJsonAsync("/api/v1/quotas"))["data"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/quotas/{own}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PatchJsonAsync($"/api/v1/quotas/{own}", new { amount = 1 }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync($"/api/v1/quotas/{own}", "*")).StatusCode);
        Assert.Equal(200m, D(await admin.Client.GetJsonAsync($"/api/v1/quotas/{own}"), "amount"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Quotas_are_managed_with_if_match_and_validated_with_field_errors(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var stranger = await factory.SignUpAsync();

        var invalid = await admin.Client.PostJsonAsync("/api/v1/quotas", new { userId = stranger.UserId, period = "2026-Q5", amount = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType!.MediaType);
        var errors = (await invalid.JsonAsync())["errors"]!;
        Assert.NotNull(errors["period"]);
        Assert.NotNull(errors["amount"]);
        var outsider = await admin.Client.PostJsonAsync("/api/v1/quotas", new { userId = stranger.UserId, period = "2026-Q4", amount = 1 });
        Assert.NotNull((await outsider.JsonAsync())["errors"]!["userId"]);

        var id = await QuotaAsync(admin, rep.UserId, "2026-q4", 1000.5m);
        var twice = await admin.Client.PostJsonAsync("/api/v1/quotas", new { userId = rep.UserId, period = "2026-Q4", amount = 1 });
        Assert.NotNull((await twice.JsonAsync())["errors"]!["period"]);

        var read = await admin.Client.GetAsync($"/api/v1/quotas/{id}", Ct);
        Assert.Equal("2026-Q4", (await read.JsonAsync())["period"]!.GetValue<string>());
        var etag = read.Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.Client.PatchJsonAsync($"/api/v1/quotas/{id}", new { amount = 2000 }, null)).StatusCode);
        Assert.NotNull((await (await admin.Client.PatchJsonAsync($"/api/v1/quotas/{id}", new { period = "2027-Q1" }, etag)).JsonAsync())["errors"]!["period"]);
        var changed = await admin.Client.PatchJsonAsync($"/api/v1/quotas/{id}", new { amount = 2000 }, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(2000m, D(await changed.JsonAsync(), "amount"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.Client.PatchJsonAsync($"/api/v1/quotas/{id}", new { amount = 3000 }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/quotas/{id}", changed.Headers.ETag!.Tag)).StatusCode);
        Assert.Empty((await admin.Client.GetJsonAsync("/api/v1/quotas?period=2026-Q4"))["data"]!.AsArray());

        foreach (var (url, field) in new[]
                 {
                     ("/api/v1/forecasts?period=2026-13", "period"), ("/api/v1/forecasts?period=Q4", "period"), ("/api/v1/forecasts?groupBy=region", "groupBy"),
                     ("/api/v1/reports/pipeline?from=2026-02-01&to=2026-01-01", "to"), ("/api/v1/quotas?period=last", "period"),
                 })
        {
            var response = await admin.Client.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, url);
            Assert.NotNull((await response.JsonAsync())["errors"]![field]);
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_pipeline_report_groups_by_stage_and_close_month_in_one_statement(string provider)
    {
        var factory = hosts.For(provider);
        var (admin, _, _) = await ExampleAsync(factory);
        var (pipeline, stages) = await admin.Client.DefaultPipelineAsync();
        await admin.Client.GetJsonAsync($"/api/v1/reports/pipeline?pipelineId={pipeline}"); // compiles the queries
        factory.Statements.Reset(admin.WorkspaceId);

        var report = await admin.Client.GetJsonAsync($"/api/v1/reports/pipeline?pipelineId={pipeline}&from=2027-01-01&to=2027-03-31");

        var onDeals = factory.Statements.Sql(admin.WorkspaceId).Where(s => s.Contains("sales_deals", StringComparison.Ordinal)).ToList();
        Assert.True(onDeals.Count == 1, string.Join("\n\n", onDeals));
        Assert.Contains("GROUP BY", onDeals[0], StringComparison.Ordinal);
        // The pipeline and its stages are read once (that read also finds pipelineId), the rates of every currency at once.
        Assert.Single(factory.Statements.Sql(admin.WorkspaceId), s => s.Contains("sales_pipelines", StringComparison.Ordinal));
        Assert.Single(factory.Statements.Sql(admin.WorkspaceId), s => s.Contains("sales_exchange_rates", StringComparison.Ordinal));
        Assert.Equal("CNY", report["currency"]!.GetValue<string>());
        Assert.Equal(6, report["stages"]!.AsArray().Count);
        JsonNode Cell(string stage, string month) => report["cells"]!.AsArray()
            .Single(c => c!["stageId"]!.GetValue<string>() == stages[stage].ToString() && c["month"]!.GetValue<string>() == month)!;
        Assert.Equal(1700m, D(Cell("won", "2027-01"), "amount")); // a: 1000 + c: 700
        Assert.Equal(2, Cell("won", "2027-01")["count"]!.GetValue<int>());
        Assert.Equal(720m, D(Cell("won", "2027-02"), "amount"));
        Assert.Equal(300m, D(Cell("won", "2027-03"), "amount")); // the rep's
        Assert.Equal(5000m, D(Cell("lost", "2027-02"), "amount"));
        Assert.Equal(70m, D(Cell("proposal", "2027-03"), "amount"));
        var eur = Cell("proposal", "2027-02");
        Assert.Equal(0m, D(eur, "amount"));
        Assert.Equal(1, eur["notConverted"]!.GetValue<int>());
        Assert.DoesNotContain(report["cells"]!.AsArray(), c => c!["month"]!.GetValue<string>() is "2026-12" or "2027-04");
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_dashboard_gives_win_rate_deal_size_cycle_funnel_and_won_revenue_by_month(string provider)
    {
        var factory = hosts.For(provider);
        var (admin, _, _) = await ExampleAsync(factory);

        var dashboard = await admin.Client.GetJsonAsync("/api/v1/reports/sales-dashboard?from=2027-01-01&to=2027-03-31");

        Assert.Equal(4, dashboard["won"]!.GetValue<int>()); // a, b, c and the rep's k
        Assert.Equal(1, dashboard["lost"]!.GetValue<int>());
        Assert.Equal(80.0m, D(dashboard, "winRate"));
        Assert.Equal(2720m, D(dashboard, "wonAmount"));
        Assert.Equal(680m, D(dashboard, "averageDealSize"));
        Assert.True(D(dashboard, "salesCycleDays") is >= 0 and < 1); // created straight into the won stage
        Assert.Equal(["2027-01", "2027-02", "2027-03"], dashboard["wonByMonth"]!.AsArray().Select(m => m!["month"]!.GetValue<string>()));
        Assert.Equal([1700m, 720m, 300m], dashboard["wonByMonth"]!.AsArray().Select(m => D(m!, "amount")));
        var funnel = dashboard["funnel"]!.AsArray();
        Assert.Equal(6, funnel.Count);
        Assert.Equal(4, funnel.Single(s => s!["kind"]!.GetValue<string>() == "won")!["deals"]!.GetValue<int>());
        Assert.Equal(1, dashboard["notConverted"]!.GetValue<int>());
    }
}
