using System.Globalization;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>The sales dashboard and the forecast page draw their charts from real deals; a company's page lists its deals.</summary>
public sealed class SalesDashboardTests(E2EFixture fixture) : BrowserTest(fixture)
{
    private async Task<string> PostAsync(string url, object body)
    {
        var response = await Page.APIRequest.PostAsync(url, new() { DataObject = body });
        Assert.True(response.Status == 201, $"{url}: {response.Status} {await response.TextAsync()}");
        return (await response.JsonAsync())!.Value.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task The_dashboard_and_the_forecast_show_their_charts_on_a_desktop_and_a_phone()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Sam Sales"));
        var me = (await (await Page.APIRequest.GetAsync("/api/v1/me")).JsonAsync())!.Value.GetProperty("id").GetString()!;
        var pipelines = await (await Page.APIRequest.GetAsync("/api/v1/pipelines")).JsonAsync();
        var stages = pipelines!.Value.GetProperty("data")[0].GetProperty("stages").EnumerateArray()
            .ToDictionary(s => s.GetProperty("key").GetString()!, s => s.GetProperty("id").GetString()!);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(int monthsBack) => today.AddMonths(-monthsBack).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var company = await PostAsync("/api/v1/companies", new { name = "Northwind Traders" });
        await PostAsync("/api/v1/deals", new { name = "Fleet renewal", amount = 42000, closeDate = Day(0), stageId = stages["won"], companyId = company });
        await PostAsync("/api/v1/deals", new { name = "Depot scanners", amount = 18000, closeDate = Day(2), stageId = stages["won"] });
        await PostAsync("/api/v1/deals", new { name = "Cold storage", amount = 30000, closeDate = Day(4), stageId = stages["won"] });
        await PostAsync("/api/v1/deals", new { name = "Lost tender", amount = 9000, closeDate = Day(1), stageId = stages["lost"], lostReason = "price" });
        await PostAsync("/api/v1/deals", new { name = "Route planning", amount = 25000, closeDate = Day(0), stageId = stages["negotiation"], companyId = company });
        await PostAsync("/api/v1/deals", new { name = "Telematics pilot", amount = 12000, closeDate = Day(0), stageId = stages["proposal"] });
        var quarter = $"{today.Year}-Q{(today.Month - 1) / 3 + 1}";
        await PostAsync("/api/v1/quotas", new { userId = me, period = quarter, amount = 100000 });

        await Page.GotoAsync("/sales/dashboard");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("kpi-win-rate")).ToContainTextAsync("75 %");
        await Expect(Page.GetByTestId("kpi-average-deal")).ToContainTextAsync("30,000.00 USD");
        foreach (var chart in new[] { "chart-won-trend", "chart-funnel", "chart-forecast" })
        {
            await Expect(Page.GetByTestId(chart).Locator("svg").First).ToBeVisibleAsync();
        }

        await Expect(Page.GetByTestId("chart-funnel").Locator("svg path, svg rect").First).ToBeAttachedAsync();
        await Expect(Page.GetByTestId("dashboard-attainment")).ToBeVisibleAsync();
        await ScreenshotAsync("dashboard");

        await Page.GotoAsync("/forecasts");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("forecast-row")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("forecast-total")).ToContainTextAsync("100,000.00 USD");
        await Expect(Page.GetByTestId("forecast-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("quota-row")).ToHaveCountAsync(1);
        await ScreenshotAsync("forecast");

        await Page.SetViewportSizeAsync(390, 844);
        await Page.GotoAsync("/sales/dashboard");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("chart-won-trend").Locator("svg").First).ToBeVisibleAsync();
        var width = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 400, $"the dashboard is {width}px wide on a 390px phone");
        await ScreenshotAsync("dashboard-phone");

        await Page.SetViewportSizeAsync(1280, 900);
        await Page.GotoAsync($"/companies/{company}");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("record-deal")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("record-deals")).ToContainTextAsync("Route planning");
        await ScreenshotAsync("company-deals");
    }
}
