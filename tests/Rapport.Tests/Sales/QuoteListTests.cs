using System.Net;
using System.Text.Json.Nodes;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>The quotes list: search by number or deal name, the status filter, and a rep seeing only the quotes of their deals.</summary>
public sealed class QuoteListTests(Hosts hosts)
{
    private static async Task<Guid> QuoteAsync(HttpClient client, Guid deal)
    {
        var response = await client.PostJsonAsync("/api/v1/quotes", new { dealId = deal, lines = new[] { new { description = "Work", quantity = 1m, unitPrice = 100m } } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>());
    }

    private static async Task<List<Guid>> ListAsync(HttpClient client, string query) =>
        [.. (await client.GetJsonAsync("/api/v1/quotes?" + query))["data"]!.AsArray().Select(q => Guid.Parse(q!["id"]!.GetValue<string>()))];

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Quotes_are_searched_by_number_or_deal_name_and_filtered_by_status(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var (solar, _, _) = await admin.Client.CreateDealAsync(new { name = "Solar roof 太阳能", currency = "USD" });
        var (wind, _, _) = await rep.Client.CreateDealAsync(new { name = "Wind farm", currency = "USD" });
        var first = await QuoteAsync(admin.Client, solar);   // Q-00001
        var second = await QuoteAsync(rep.Client, wind);     // Q-00002
        var third = await QuoteAsync(admin.Client, solar);   // Q-00003
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"/api/v1/quotes/{third}/reject", new { })).StatusCode);

        Assert.Equal([third, second, first], await ListAsync(admin.Client, ""));
        Assert.Equal([second], await ListAsync(admin.Client, "q=q-00002"));
        Assert.Equal([third, first], await ListAsync(admin.Client, "q=" + Uri.EscapeDataString("太阳")));
        Assert.Equal([second], await ListAsync(admin.Client, "q=FARM"));
        Assert.Equal([third], await ListAsync(admin.Client, "status=rejected"));
        Assert.Equal([first], await ListAsync(admin.Client, "status=draft&q=solar"));
        Assert.Equal([second], await ListAsync(rep.Client, "")); // a rep reads the quotes of their own deals only
        Assert.Empty(await ListAsync(rep.Client, "q=solar"));

        var refused = await admin.Client.GetAsync("/api/v1/quotes?status=lost", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.NotNull((await refused.JsonAsync())["errors"]!["status"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync("/api/v1/quotes?q=" + new string('x', 101), TestContext.Current.CancellationToken)).StatusCode);
    }
}
