using System.Net;
using System.Net.Http.Json;
using Rapport.Kernel.Demo;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class DemoDataTests(Hosts hosts)
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Seed_demo_fills_a_workspace_once_that_its_people_can_sign_in_to(string provider)
    {
        var factory = hosts.For(provider);
        var ct = TestContext.Current.CancellationToken;
        var first = await DemoData.SeedAsync(factory.Services, ct);
        Assert.False(first.AlreadySeeded);
        Assert.True((await DemoData.SeedAsync(factory.Services, ct)).AlreadySeeded);

        var client = factory.CreateClient();
        async Task<HttpClient> As(string email)
        {
            var token = await (await client.PostAsJsonAsync("/api/v1/auth/token", new { email, password = "rapport-demo-2026" }, ct)).JsonAsync();
            var signedIn = factory.CreateClient();
            signedIn.DefaultRequestHeaders.Authorization = new("Bearer", token["token"]!.GetValue<string>());
            return signedIn;
        }

        var admin = await As("demo@rapport.local");
        Assert.Equal(12, (await (await admin.GetAsync("/api/v1/companies?limit=200", ct)).JsonAsync())["data"]!.AsArray().Count);
        Assert.Equal(24, (await (await admin.GetAsync("/api/v1/contacts?limit=200", ct)).JsonAsync())["data"]!.AsArray().Count);
        var deals = (await (await admin.GetAsync("/api/v1/deals?limit=200", ct)).JsonAsync())["data"]!.AsArray();
        Assert.Equal(8, deals.Count);
        Assert.Contains(deals, d => d!["status"]!.GetValue<string>() == "won");
        Assert.Contains(deals, d => d!["currency"]!.GetValue<string>() == "CNY");
        var notes = (await (await admin.GetAsync("/api/v1/notes?limit=200", ct)).JsonAsync())["data"]!.AsArray();
        Assert.InRange(notes.Count, 6, 200);
        Assert.Contains(notes, n => n!["html"]!.GetValue<string>().Any(c => c >= '\u4e00'));
        var withFiles = (await (await admin.GetAsync("/api/v1/companies?limit=200&sort=createdAt", ct)).JsonAsync())["data"]!.AsArray()
            .Select(c => c!["id"]!.GetValue<string>()).ToList();
        var files = new List<System.Text.Json.Nodes.JsonNode>();
        foreach (var company in withFiles)
        {
            var timeline = (await (await admin.GetAsync($"/api/v1/companies/{company}/timeline?limit=200", ct)).JsonAsync())["data"]!.AsArray();
            files.AddRange(timeline.Where(e => e!["kind"]!.GetValue<string>() == "file").Select(e => e!));
        }

        var pdf = files.Single(f => f["file"]!["name"]!.GetValue<string>() == "meeting-minutes.pdf");
        var download = await admin.GetAsync(pdf["file"]!["contentUrl"]!.GetValue<string>(), ct);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(await download.Content.ReadAsByteArrayAsync(ct)), StringComparison.Ordinal);

        var rep = await As("rep1@rapport.local");
        var repCompanies = (await (await rep.GetAsync("/api/v1/companies?limit=200", ct)).JsonAsync())["data"]!.AsArray().Count;
        Assert.InRange(repCompanies, 1, 11);
        Assert.InRange((await (await rep.GetAsync("/api/v1/deals?limit=200", ct)).JsonAsync())["data"]!.AsArray().Count, 1, 7);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/roles", ct)).StatusCode);
    }
}
