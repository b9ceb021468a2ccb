using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Modules.Customers.Companies;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class CompanyTests(Hosts hosts)
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Member_creates_reads_updates_and_deletes_a_company(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var created = await tenant.Client.PostJsonAsync("/api/v1/companies",
            new { name = " Wang Trading ", domain = "Wang-Trading.CN", industry = "Retail", phone = "+86 21 1234 5678",
                  website = "https://wang.cn", address = new { city = "上海", country = "cn" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        var body = await created.JsonAsync();
        var id = body["id"]!.GetValue<string>();
        Assert.Equal($"/api/v1/companies/{id}", created.Headers.Location?.ToString());
        Assert.Equal("Wang Trading", body["name"]!.GetValue<string>());
        Assert.Equal("wang-trading.cn", body["domain"]!.GetValue<string>());
        Assert.Equal("CN", body["address"]!["country"]!.GetValue<string>());
        Assert.Equal(tenant.UserId.ToString(), body["ownerId"]!.GetValue<string>());

        var read = await tenant.Client.GetAsync($"/api/v1/companies/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        Assert.Equal("上海", (await read.JsonAsync())["address"]!["city"]!.GetValue<string>());

        var patched = await tenant.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { industry = (string?)null, address = new { region = "Shanghai" } }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag?.Tag);
        var after = await patched.JsonAsync();
        Assert.Null(after["industry"]);
        Assert.Equal("上海", after["address"]!["city"]!.GetValue<string>());
        Assert.Equal("Shanghai", after["address"]!["region"]!.GetValue<string>());

        var deleted = await tenant.Client.DeleteAsync($"/api/v1/companies/{id}", "\"2\"");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync($"/api/v1/companies/{id}", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Invalid_company_is_refused_with_field_errors_and_nothing_is_written(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var response = await tenant.Client.PostJsonAsync("/api/v1/companies",
            new { name = "", domain = "http://x.com/path", website = "not a url", address = new { country = "XX" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("https://rapport.dev/problems/validation", problem["type"]!.GetValue<string>());
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.NotNull(problem["traceId"]);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("name", errors.Select(e => e.Key));
        Assert.Contains("domain", errors.Select(e => e.Key));
        Assert.Contains("website", errors.Select(e => e.Key));
        Assert.Contains("address.country", errors.Select(e => e.Key));

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        Assert.Equal(0, await db.Set<Company>().CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task System_and_unknown_properties_are_refused_by_name(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        foreach (var property in new[] { "id", "workspaceId", "createdAt", "version", "favouriteColour" })
        {
            var body = new Dictionary<string, object> { ["name"] = "Acme", [property] = "01a21429-c931-7971-b1bc-874a0912e0b1" };
            var response = await tenant.Client.PostJsonAsync("/api/v1/companies", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull((await response.JsonAsync())["errors"]![property]);
        }

        var (id, etag) = await tenant.Client.CreateCompanyAsync(new { name = "Acme" });
        var patch = await tenant.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { workspaceId = Guid.NewGuid() }, etag);
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        Assert.NotNull((await patch.JsonAsync())["errors"]!["workspaceId"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Owner_must_be_a_member_of_the_workspace(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var response = await tenant.Client.PostJsonAsync("/api/v1/companies", new { name = "Acme", ownerId = stranger.UserId });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.JsonAsync())["errors"]!["ownerId"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Domain_is_unique_among_companies_not_in_the_trash(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var (first, etag) = await tenant.Client.CreateCompanyAsync(new { name = "First", domain = "same.com" });
        var duplicate = await tenant.Client.PostJsonAsync("/api/v1/companies", new { name = "Second", domain = "SAME.com" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.NotNull((await duplicate.JsonAsync())["errors"]!["domain"]);

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/companies/{first}", etag)).StatusCode);
        await tenant.Client.CreateCompanyAsync(new { name = "Second", domain = "same.com" });

        var restore = await tenant.Client.PostJsonAsync($"/api/v1/companies/{first}/restore", new { });
        Assert.Equal(HttpStatusCode.Conflict, restore.StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Another_workspace_may_use_the_same_domain(string provider)
    {
        var factory = hosts.For(provider);
        var a = await factory.SignUpAsync();
        var b = await factory.SignUpAsync();
        await a.Client.CreateCompanyAsync(new { name = "A", domain = "shared.com" });
        await b.Client.CreateCompanyAsync(new { name = "B", domain = "shared.com" });
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Companies_carry_size_revenue_stage_tags_and_a_parent_without_loops(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var ct = TestContext.Current.CancellationToken;
        var (group, groupTag) = await tenant.Client.CreateCompanyAsync(new { name = "Group" });
        var created = await tenant.Client.PostJsonAsync("/api/v1/companies", new
        {
            name = "Subsidiary", size = "51-200", annualRevenue = new { amount = 1234567.8912m, currency = "cny" },
            lifecycleStage = "customer", tags = new[] { "vip", " Asia ", "VIP" }, parentCompanyId = group,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal("CNY", body["annualRevenue"]!["currency"]!.GetValue<string>());
        Assert.Equal(1234567.8912m, body["annualRevenue"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(["vip", "Asia"], body["tags"]!.AsArray().Select(t => t!.GetValue<string>()));

        var loop = await tenant.Client.PatchJsonAsync($"/api/v1/companies/{group}", new { parentCompanyId = body["id"]!.GetValue<string>() }, groupTag);
        Assert.Equal(HttpStatusCode.BadRequest, loop.StatusCode);
        Assert.NotNull((await loop.JsonAsync())["errors"]!["parentCompanyId"]);

        var bad = await tenant.Client.PostJsonAsync("/api/v1/companies", new
        {
            name = "Bad", size = "huge", lifecycleStage = "friend", annualRevenue = new { amount = -1, currency = "XYZ" }, parentCompanyId = Guid.NewGuid(),
        });
        var errors = (await bad.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("size", errors);
        Assert.Contains("lifecycleStage", errors);
        Assert.Contains("annualRevenue.amount", errors);
        Assert.Contains("annualRevenue.currency", errors);

        var filter = Uri.EscapeDataString("""{"and":[{"field":"lifecycleStage","op":"eq","value":"customer"},{"field":"annualRevenue","op":"gt","value":1000000}]}""");
        var found = await (await tenant.Client.GetAsync($"/api/v1/companies?filter={filter}", ct)).JsonAsync();
        Assert.Equal(["Subsidiary"], found["data"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_company_keeps_further_addresses_and_social_profiles_and_bad_ones_are_refused_by_item(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var (id, etag) = await tenant.Client.CreateCompanyAsync(new
        {
            name = "Many Places",
            otherAddresses = new[] { new { label = "Warehouse", street = "8 Dock St", city = "Ningbo", country = "cn" } },
            socialProfiles = new[] { new { network = "LinkedIn", handle = "https://www.linkedin.com/company/many-places" }, new { network = "WeChat", handle = "manyplaces" } },
        });
        var body = await (await tenant.Client.GetAsync($"/api/v1/companies/{id}", TestContext.Current.CancellationToken)).JsonAsync();
        Assert.Equal("CN", body["otherAddresses"]![0]!["country"]!.GetValue<string>());
        Assert.Equal(["LinkedIn", "WeChat"], body["socialProfiles"]!.AsArray().Select(p => p!["network"]!.GetValue<string>()));

        var bad = await tenant.Client.PatchJsonAsync($"/api/v1/companies/{id}", new
        {
            otherAddresses = new[] { new { label = "", city = "Nowhere", country = "Atlantis" } },
            socialProfiles = new[] { new { network = "X", handle = "" } },
        }, etag);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains(errors, e => e.StartsWith("otherAddresses[0]", StringComparison.Ordinal) && e.EndsWith("label", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("otherAddresses[0]", StringComparison.Ordinal) && e.EndsWith("country", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("socialProfiles[0]", StringComparison.Ordinal));
        var after = await (await tenant.Client.GetAsync($"/api/v1/companies/{id}", TestContext.Current.CancellationToken)).JsonAsync();
        Assert.Equal(2, after["socialProfiles"]!.AsArray().Count);
        Assert.Equal(1, after["version"]!.GetValue<int>());

        var cleared = await tenant.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { socialProfiles = Array.Empty<object>() }, etag);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Empty((await cleared.JsonAsync())["socialProfiles"]!.AsArray());
    }
}
