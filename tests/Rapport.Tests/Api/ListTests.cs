using System.Net;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class ListTests(Hosts hosts)
{
    private static string Url(string? filter = null, string? sort = null, int? limit = null, string? cursor = null)
    {
        var query = new List<string>();
        if (filter is not null) query.Add("filter=" + Uri.EscapeDataString(filter));
        if (sort is not null) query.Add("sort=" + Uri.EscapeDataString(sort));
        if (limit is not null) query.Add($"limit={limit}");
        if (cursor is not null) query.Add("cursor=" + Uri.EscapeDataString(cursor));
        return "/api/v1/companies?" + string.Join('&', query);
    }

    private static async Task<(List<string> Names, string? Next)> PageAsync(Tenant tenant, string url)
    {
        var response = await tenant.Client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.JsonAsync();
        return ([.. json["data"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())], json["nextCursor"]?.GetValue<string>());
    }

    private static async Task<Tenant> SeedAsync(RapportFactory factory)
    {
        var tenant = await factory.SignUpAsync();
        foreach (var (name, industry, city) in new[]
                 {
                     ("Delta", "Retail", "Berlin"), ("Alpha", (string?)null, "Shanghai"), ("Charlie", "Mining", null),
                     ("Bravo", "Retail", "Beijing"), ("Echo", null, "上海"), ("Foxtrot", "Banking", "Berlin"),
                 })
        {
            await tenant.Client.CreateCompanyAsync(new { name, industry, address = new { city } });
        }

        return tenant;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Keyset_pages_cover_every_row_once_with_nulls_last(string provider)
    {
        var tenant = await SeedAsync(hosts.For(provider));
        foreach (var sort in new[] { "industry,name", "-industry,name", "name", "-createdAt", "address.city,-name" })
        {
            var all = (await PageAsync(tenant, Url(sort: sort, limit: 200))).Names;
            var paged = new List<string>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var (names, next) = await PageAsync(tenant, Url(sort: sort, limit: 2, cursor: cursor));
                paged.AddRange(names);
                cursor = next;
                pages++;
            }
            while (cursor is not null && pages < 10);

            Assert.Equal(all, paged);
            Assert.Equal(6, paged.Count);
        }

        var byIndustry = (await PageAsync(tenant, Url(sort: "industry,name"))).Names;
        Assert.Equal(["Foxtrot", "Charlie", "Bravo", "Delta", "Alpha", "Echo"], byIndustry);
        var byIndustryDescending = (await PageAsync(tenant, Url(sort: "-industry,name"))).Names;
        Assert.Equal(["Bravo", "Delta", "Charlie", "Foxtrot", "Alpha", "Echo"], byIndustryDescending);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Filters_run_in_the_database(string provider)
    {
        var tenant = await SeedAsync(hosts.For(provider));
        async Task<List<string>> Names(string filter) => [.. (await PageAsync(tenant, Url(filter, "name"))).Names.Order(StringComparer.Ordinal)];

        Assert.Equal(["Bravo", "Delta"], await Names("""{"field":"industry","op":"eq","value":"Retail"}"""));
        Assert.Equal(["Alpha", "Echo"], await Names("""{"field":"industry","op":"isNull"}"""));
        Assert.Equal(["Bravo", "Charlie", "Delta", "Foxtrot"], await Names("""{"field":"industry","op":"isNotNull"}"""));
        Assert.Equal(["Alpha", "Charlie", "Echo", "Foxtrot"], await Names("""{"field":"industry","op":"neq","value":"Retail"}"""));
        Assert.Equal(["Charlie", "Foxtrot"], await Names("""{"field":"industry","op":"in","value":["Banking","Mining"]}"""));
        Assert.Equal(["Alpha", "Bravo", "Delta", "Echo"], await Names("""{"field":"industry","op":"nin","value":["Banking","Mining"]}"""));
        Assert.Equal(["Alpha"], await Names("""{"field":"name","op":"contains","value":"LPH"}"""));
        Assert.Equal(["Echo"], await Names("""{"field":"address.city","op":"eq","value":"上海"}"""));
        Assert.Equal(["Delta", "Foxtrot"], await Names("""{"and":[{"field":"address.city","op":"eq","value":"Berlin"},{"field":"createdAt","op":"inLast","value":"1d"}]}"""));
        Assert.Equal(["Alpha", "Bravo", "Delta", "Echo", "Foxtrot"],
            await Names("""{"or":[{"field":"address.city","op":"startsWith","value":"be"},{"not":{"field":"industry","op":"isNotNull"}}]}"""));
        Assert.Empty(await Names("""{"field":"createdAt","op":"inNext","value":"2d"}"""));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Bad_filters_sorts_cursors_and_limits_are_400s(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var cases = new (string Url, string Field)[]
        {
            (Url("""{"field":"passwordHash","op":"eq","value":"x"}"""), "filter"),
            (Url("""{"field":"name; DROP TABLE customers_companies; --","op":"eq","value":"x"}"""), "filter"),
            (Url("""{"field":"name","op":"like","value":"x"}"""), "filter"),
            (Url("""{"field":"name","op":"eq","value":42}"""), "filter"),
            (Url("""{"field":"createdAt","op":"gt","value":"yesterday"}"""), "filter"),
            (Url("""{"field":"createdAt","op":"contains","value":"2026"}"""), "filter"),
            (Url("""{"field":"name","op":"in","value":"x"}"""), "filter"),
            (Url("""{"field":"ownerId","op":"gt","value":"01a21429-c931-7971-b1bc-874a0912e0b1"}"""), "filter"),
            (Url("""{"field":"name","op":"eq"}"""), "filter"),
            (Url("""{"and":[]}"""), "filter"),
            (Url("""{"field":"name","op":"eq","value":"x","extra":1}"""), "filter"),
            (Url("""[1,2]"""), "filter"),
            (Url("""{"field":"name" """), "filter"),
            (Url(sort: "passwordHash"), "sort"),
            (Url(sort: "name,name"), "sort"),
            (Url(limit: 0), "limit"),
            (Url(limit: 201), "limit"),
            (Url(cursor: "not-a-cursor"), "cursor"),
        };
        foreach (var (url, field) in cases)
        {
            var response = await tenant.Client.GetAsync(url, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url} → {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.JsonAsync();
            Assert.NotNull(problem["errors"]![field]);
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_cursor_is_refused_with_another_sort(string provider)
    {
        var tenant = await SeedAsync(hosts.For(provider));
        var (_, next) = await PageAsync(tenant, Url(sort: "name", limit: 2));
        var response = await tenant.Client.GetAsync(Url(sort: "-name", limit: 2, cursor: next), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
