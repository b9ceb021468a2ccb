using System.Net;
using System.Text.Json.Nodes;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>A deal's forecast category: from its stage unless set, editable with field rights, and what the forecast counts by.</summary>
public sealed class DealForecastCategoryTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static decimal D(JsonNode node, string field) => node[field]!.GetValue<decimal>();

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_forecast_counts_deals_by_their_set_category_else_by_their_stage(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        var (_, stages) = await admin.Client.DefaultPipelineAsync();
        async Task<(Guid Id, JsonNode Body)> Deal(string name, string stage, decimal amount, string? forecastCategory)
        {
            var (id, _, body) = await admin.Client.CreateDealAsync(new { name, stageId = stages[stage], amount, closeDate = "2030-05-15", forecastCategory });
            return (id, body);
        }

        var (a, aBody) = await Deal("a", "negotiation", 1000, null);   // 80 %: commit by its stage
        await Deal("b", "negotiation", 2000, "bestCase");             // set down to best case
        var (c, cBody) = await Deal("c", "qualification", 300, "commit"); // 10 %, set up to commit
        await Deal("d", "proposal", 400, "omitted");                  // left out of the forecast
        await Deal("e", "proposal", 500, null);                       // 50 %: best case by its stage
        var (_, fBody) = await Deal("f", "won", 700, "omitted");      // won: closed whatever was set
        Assert.Equal(("commit", false), (aBody["forecastCategory"]!.GetValue<string>(), aBody["forecastCategorySet"]!.GetValue<bool>()));
        Assert.Equal(("commit", true), (cBody["forecastCategory"]!.GetValue<string>(), cBody["forecastCategorySet"]!.GetValue<bool>()));
        Assert.Equal("closed", fBody["forecastCategory"]!.GetValue<string>());

        var forecast = (await admin.Client.GetJsonAsync("/api/v1/forecasts?period=2030-05"))["total"]!;
        Assert.Equal(700m, D(forecast, "closedWon"));
        Assert.Equal(1300m, D(forecast, "commit"));           // a 1000 + c 300
        Assert.Equal(3800m, D(forecast, "bestCase"));         // commit + b 2000 + e 500
        Assert.Equal(3800m, D(forecast, "pipeline"));         // a + b + c + e (d omitted)
        Assert.Equal(2680m, D(forecast, "weightedPipeline")); // 800 + 1600 + 30 + 250
        Assert.Equal((1, 4), (forecast["wonDeals"]!.GetValue<int>(), forecast["openDeals"]!.GetValue<int>()));

        // Cleared, c follows its stage again (10 %: pipeline); a stays as its stage says after an unrelated change.
        var cleared = await admin.Client.PatchJsonAsync($"/api/v1/deals/{c}", new { forecastCategory = (string?)null }, "*");
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(("pipeline", false), ((await cleared.JsonAsync())["forecastCategory"]!.GetValue<string>(), (await admin.Client.GetJsonAsync($"/api/v1/deals/{c}"))["forecastCategorySet"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync($"/api/v1/deals/{a}", new { nextStep = "Call" }, "*")).StatusCode);
        Assert.False((await admin.Client.GetJsonAsync($"/api/v1/deals/{a}"))["forecastCategorySet"]!.GetValue<bool>());
        forecast = (await admin.Client.GetJsonAsync("/api/v1/forecasts?period=2030-05"))["total"]!;
        Assert.Equal((1000m, 3500m, 3800m), (D(forecast, "commit"), D(forecast, "bestCase"), D(forecast, "pipeline")));

        var refused = await admin.Client.PatchJsonAsync($"/api/v1/deals/{a}", new { forecastCategory = "maybe" }, "*");
        Assert.NotNull((await CatalogApi.ErrorsAsync(refused))["forecastCategory"]);
        var filtered = await admin.Client.GetJsonAsync($"/api/v1/deals?filter={Uri.EscapeDataString("""{"field":"forecastCategory","op":"eq","value":"omitted"}""")}");
        Assert.Equal(2, filtered["data"]!.AsArray().Count); // d and f, as set
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_member_whose_role_makes_the_category_read_only_cannot_change_it_and_nothing_changes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var member = await factory.MemberWithRoleAsync(admin, new { deal = new { read = "all", update = "all" } }, new { deal = new { forecastCategory = "readOnly" } });
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Locked", amount = 10 });

        var refused = await member.Client.PatchJsonAsync($"/api/v1/deals/{deal}", new { forecastCategory = "commit" }, "*");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.Client.PatchJsonAsync($"/api/v1/deals/{deal}", new { nextStep = "Call" }, "*")).StatusCode);
        var stored = await admin.Client.GetJsonAsync($"/api/v1/deals/{deal}");
        Assert.False(stored["forecastCategorySet"]!.GetValue<bool>());
        Assert.Equal(2, stored["version"]!.GetValue<int>());
    }
}
