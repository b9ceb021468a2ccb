using System.Net;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class ConcurrencyTests(Hosts hosts)
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Writes_without_IfMatch_get_428_and_stale_ones_412(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var (id, etag) = await tenant.Client.CreateCompanyAsync(new { name = "Acme" });
        var url = $"/api/v1/companies/{id}";

        var missing = await tenant.Client.PatchJsonAsync(url, new { name = "No precondition" }, null);
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        Assert.Equal("https://rapport.dev/problems/precondition-required", (await missing.JsonAsync())["type"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode)428, (await tenant.Client.DeleteAsync(url, null)).StatusCode);

        var first = await tenant.Client.PatchJsonAsync(url, new { name = "First" }, etag);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var stale = await tenant.Client.PatchJsonAsync(url, new { name = "Second" }, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await tenant.Client.DeleteAsync(url, etag)).StatusCode);

        var now = await (await tenant.Client.GetAsync(url, TestContext.Current.CancellationToken)).JsonAsync();
        Assert.Equal("First", now["name"]!.GetValue<string>());
        Assert.Equal(2, now["version"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Of_concurrent_writes_with_the_same_ETag_exactly_one_wins(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var (id, etag) = await tenant.Client.CreateCompanyAsync(new { name = "Race" });
        var url = $"/api/v1/companies/{id}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => tenant.Client.PatchJsonAsync(url, new { name = $"Writer {i}" }, etag)));

        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        var winnerName = (await winners[0].JsonAsync())["name"]!.GetValue<string>();
        var now = await (await tenant.Client.GetAsync(url, TestContext.Current.CancellationToken)).JsonAsync();
        Assert.Equal(winnerName, now["name"]!.GetValue<string>());
        Assert.Equal(2, now["version"]!.GetValue<int>());
    }
}
