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
        var rep = await As("rep1@rapport.local");
        var repCompanies = (await (await rep.GetAsync("/api/v1/companies?limit=200", ct)).JsonAsync())["data"]!.AsArray().Count;
        Assert.InRange(repCompanies, 1, 11);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/api/v1/roles", ct)).StatusCode);
    }
}
