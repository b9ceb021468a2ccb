using System.Globalization;
using System.Net;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>Quotes, orders and contracts follow their deal into the trash and back.</summary>
public sealed class DealDocumentTrashTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Documents_of_a_trashed_deal_are_neither_listed_nor_read_nor_changed_and_come_back_with_it(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        var (deal, etag, _) = await admin.Client.CreateDealAsync(new { name = "Gone for a while", amount = 100, currency = "USD" });
        var (other, _, _) = await admin.Client.CreateDealAsync(new { name = "Stays", amount = 100, currency = "USD" });
        var quote = (await (await admin.Client.PostJsonAsync("/api/v1/quotes", new { dealId = deal, lines = new[] { new { description = "A", quantity = 1m, unitPrice = 10m } } })).JsonAsync())["id"]!.GetValue<string>();
        var draft = (await (await admin.Client.PostJsonAsync("/api/v1/quotes", new { dealId = deal, lines = new[] { new { description = "B", quantity = 1m, unitPrice = 10m } } })).JsonAsync())["id"]!.GetValue<string>();
        var kept = (await (await admin.Client.PostJsonAsync("/api/v1/quotes", new { dealId = other, lines = new[] { new { description = "C", quantity = 1m, unitPrice = 10m } } })).JsonAsync())["id"]!.GetValue<string>();
        var order = (await (await admin.Client.PostJsonAsync($"/api/v1/quotes/{quote}/accept", new { })).JsonAsync())["id"]!.GetValue<string>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var contractResponse = await admin.Client.PostJsonAsync("/api/v1/contracts", new
        {
            dealId = deal, name = "Service", startDate = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), endDate = today.AddDays(365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Created, contractResponse.StatusCode);
        var contract = (await contractResponse.JsonAsync())["id"]!.GetValue<string>();
        var documents = new[] { $"/api/v1/quotes/{quote}", $"/api/v1/quotes/{draft}", $"/api/v1/orders/{order}", $"/api/v1/contracts/{contract}" };

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/deals/{deal}", etag)).StatusCode);

        foreach (var path in documents)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(path, Ct)).StatusCode);
        }

        Assert.Equal([kept], await IdsAsync(admin.Client, "/api/v1/quotes"));
        Assert.Empty(await IdsAsync(admin.Client, "/api/v1/orders"));
        Assert.Empty(await IdsAsync(admin.Client, "/api/v1/contracts"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PatchJsonAsync($"/api/v1/quotes/{draft}", new { notes = "changed" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostJsonAsync($"/api/v1/quotes/{draft}/reject", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.DeleteAsync($"/api/v1/contracts/{contract}", "*")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsync($"/api/v1/deals/{deal}/restore", null, Ct)).StatusCode);

        foreach (var path in documents)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync(path, Ct)).StatusCode);
        }

        Assert.Equal(3, (await IdsAsync(admin.Client, "/api/v1/quotes")).Count);
        Assert.Equal([order], await IdsAsync(admin.Client, "/api/v1/orders"));
        Assert.Equal([contract], await IdsAsync(admin.Client, "/api/v1/contracts"));
        Assert.Null((await admin.Client.GetJsonAsync($"/api/v1/quotes/{draft}"))["notes"]);
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string path) =>
        [.. (await client.GetJsonAsync(path))["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>())];
}
