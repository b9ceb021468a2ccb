using System.Net;
using System.Net.Http.Json;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class IdentityTests(Hosts hosts)
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Token_is_issued_for_the_right_password_and_refused_alike_otherwise(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var ok = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = tenant.Email.ToUpperInvariant(), password = TestApi.Password }, ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var token = await ok.JsonAsync();
        Assert.StartsWith("rpt_", token["token"]!.GetValue<string>());
        Assert.Equal(tenant.WorkspaceId.ToString(), token["workspaceId"]!.GetValue<string>());

        var wrong = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = tenant.Email, password = "wrong-password-123" }, ct);
        var unknown = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "nobody@example.com", password = "wrong-password-123" }, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal((await wrong.JsonAsync())["detail"]!.ToJsonString(), (await unknown.JsonAsync())["detail"]!.ToJsonString());

        client.DefaultRequestHeaders.Authorization = new("Bearer", token["token"]!.GetValue<string>());
        var me = await (await client.GetAsync("/api/v1/me", ct)).JsonAsync();
        Assert.Equal(tenant.UserId.ToString(), me["id"]!.GetValue<string>());
        Assert.Equal(tenant.WorkspaceId.ToString(), me["workspaceId"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sign_up_validates_and_refuses_a_taken_email(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var taken = await client.PostAsJsonAsync("/api/v1/auth/signup",
            new { workspaceName = "Copy", email = tenant.Email, password = TestApi.Password, displayName = "Copy" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.NotNull((await taken.JsonAsync())["errors"]!["email"]);

        var invalid = await client.PostAsJsonAsync("/api/v1/auth/signup",
            new { workspaceName = "", email = "not-an-email", password = "short", displayName = "" }, ct);
        var errors = (await invalid.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        Assert.Equal(["displayName", "email", "password", "workspaceName"], errors);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sign_up_is_open_for_the_first_workspace_only_unless_allowed(string provider)
    {
        TestDatabases.RequireAvailable(provider);
        await using var factory = new RapportFactory(provider, new Dictionary<string, string?> { ["Rapport:AllowSignup"] = "false" });
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var first = await client.PostAsJsonAsync("/api/v1/auth/signup",
            new { workspaceName = "First", email = "first@example.com", password = TestApi.Password, displayName = "First" }, ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var second = await client.PostAsJsonAsync("/api/v1/auth/signup",
            new { workspaceName = "Second", email = "second@example.com", password = TestApi.Password, displayName = "Second" }, ct);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Language_preference_is_stored_per_user(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var ct = TestContext.Current.CancellationToken;
        var changed = await tenant.Client.PatchJsonAsync("/api/v1/me", new { language = "zh-Hans" }, null);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("zh-Hans", (await (await tenant.Client.GetAsync("/api/v1/me", ct)).JsonAsync())["language"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.PatchJsonAsync("/api/v1/me", new { language = "klingon" }, null)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Workspace_settings_validate_and_need_IfMatch(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var ct = TestContext.Current.CancellationToken;
        var read = await tenant.Client.GetAsync("/api/v1/workspace", ct);
        var etag = read.Headers.ETag!.Tag;
        Assert.Equal((HttpStatusCode)428, (await tenant.Client.PatchJsonAsync("/api/v1/workspace", new { timeZone = "Asia/Shanghai" }, null)).StatusCode);

        var bad = await tenant.Client.PatchJsonAsync("/api/v1/workspace",
            new { timeZone = "Mars/Olympus", baseCurrency = "XYZ", defaultCountry = "QQ", fiscalYearStartMonth = 13, languages = new[] { "fr" } }, etag);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        Assert.Equal(["baseCurrency", "defaultCountry", "fiscalYearStartMonth", "languages", "timeZone"], errors);

        var good = await tenant.Client.PatchJsonAsync("/api/v1/workspace",
            new { timeZone = "Asia/Shanghai", baseCurrency = "cny", defaultCountry = "cn", fiscalYearStartMonth = 4, languages = new[] { "zh-Hans", "en" } }, etag);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var settings = await good.JsonAsync();
        Assert.Equal("CNY", settings["baseCurrency"]!.GetValue<string>());
        Assert.Equal(4, settings["fiscalYearStartMonth"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await tenant.Client.PatchJsonAsync("/api/v1/workspace", new { name = "Late" }, etag)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Weak_passwords_are_refused_with_the_reason(string provider)
    {
        var client = hosts.For(provider).CreateClient();
        foreach (var password in new[] { "short", "password123", "aaaaaaaaaaaa", "jane.doe-2026!" })
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/signup",
                new { workspaceName = "Weak", email = "jane.doe@example.com", password, displayName = "Jane" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull((await response.JsonAsync())["errors"]!["password"]);
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Changing_the_email_needs_the_password_and_a_free_address(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var other = await factory.SignUpAsync();
        var fresh = $"{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.PostJsonAsync("/api/v1/me/email", new { email = fresh, password = "not-my-password" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await tenant.Client.PostJsonAsync("/api/v1/me/email", new { email = other.Email, password = TestApi.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostJsonAsync("/api/v1/me/email", new { email = fresh, password = TestApi.Password })).StatusCode);
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = fresh, password = TestApi.Password }, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/token", new { email = tenant.Email, password = TestApi.Password }, TestContext.Current.CancellationToken)).StatusCode);
    }
}
