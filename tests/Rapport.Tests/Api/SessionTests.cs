using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Identity.ApiKeys;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Sessions, API keys, deactivation, lockout, sign-in log, throttling and browser hardening.</summary>
public sealed class SessionTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> CreateKeyAsync(Tenant who, string scope, DateTimeOffset? expiresAt = null)
    {
        var response = await who.Client.PostJsonAsync("/api/v1/api-keys", new { name = scope + " key", scope, expiresAt });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var key = (await response.JsonAsync())["key"]!.GetValue<string>();
        Assert.StartsWith("rpk_", key);
        return key;
    }

    private static HttpClient With(RapportFactory factory, string bearer)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Api_key_scopes_cap_what_the_owner_may_do(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (id, etag) = await admin.Client.CreateCompanyAsync(new { name = "Keyed" });
        var read = With(factory, await CreateKeyAsync(admin, "read"));
        var write = With(factory, await CreateKeyAsync(admin, "write"));
        var adminKey = With(factory, await CreateKeyAsync(admin, "admin"));

        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync($"/api/v1/companies/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await read.PostJsonAsync("/api/v1/companies", new { name = "Nope" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await read.PatchJsonAsync($"/api/v1/companies/{id}", new { name = "Nope" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await read.GetAsync("/api/v1/roles", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await write.PostJsonAsync("/api/v1/companies", new { name = "By write key" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await write.GetAsync("/api/v1/roles", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await write.PostJsonAsync("/api/v1/api-keys", new { name = "minted", scope = "admin" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await adminKey.GetAsync("/api/v1/roles", Ct)).StatusCode);

        var keys = (await (await admin.Client.GetAsync("/api/v1/api-keys", Ct)).JsonAsync()).AsArray();
        Assert.Equal(3, keys.Count);
        Assert.All(keys, k => Assert.Null(k!["key"]));
        Assert.NotNull(keys.Single(k => k!["scope"]!.GetValue<string>() == "read")!["lastUsedAt"]);
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(2, await db.Set<Company>().CountAsync(Ct));
        Assert.DoesNotContain(await db.Set<ApiKey>().Select(k => k.KeyHash).ToListAsync(Ct), h => h.StartsWith("rpk_", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Revoked_and_expired_keys_stop_working_at_once(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var plain = await CreateKeyAsync(admin, "write");
        var client = With(factory, plain);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/companies", Ct)).StatusCode);
        var keyId = (await (await admin.Client.GetAsync("/api/v1/api-keys", Ct)).JsonAsync()).AsArray()[0]!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/api-keys/{keyId}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/companies", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostJsonAsync("/api/v1/companies", new { name = "After revoke" })).StatusCode);

        var past = await admin.Client.PostJsonAsync("/api/v1/api-keys", new { name = "old", scope = "read", expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        var other = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.DeleteAsync($"/api/v1/api-keys/{keyId}", null)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Deactivation_ends_tokens_and_keys_and_reactivation_allows_signing_in_again(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var repKey = With(factory, await CreateKeyAsync(rep, "write"));
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.GetAsync("/api/v1/companies", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"/api/v1/members/{rep.UserId}/deactivate", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rep.Client.GetAsync("/api/v1/companies", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await repKey.GetAsync("/api/v1/companies", Ct)).StatusCode);
        var token = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email = rep.Email, password = TestApi.Password }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync($"/api/v1/members/{admin.UserId}/deactivate", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rep.Client.PostJsonAsync($"/api/v1/members/{admin.UserId}/deactivate", new { })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"/api/v1/members/{rep.UserId}/reactivate", new { })).StatusCode);
        var again = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email = rep.Email, password = TestApi.Password }, Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rep.Client.GetAsync("/api/v1/companies", Ct)).StatusCode); // old tokens stay revoked
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Repeated_failures_lock_the_sign_in_and_every_attempt_is_logged(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var anonymous = factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = rep.Email, password = "guess-" + i }, Ct)).StatusCode);
        }

        var locked = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = rep.Email, password = TestApi.Password }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        var unknown = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { email = "ghost@example.com", password = "whatever-123" }, Ct);
        Assert.Equal((await unknown.JsonAsync())["detail"]!.ToJsonString(), (await locked.JsonAsync())["detail"]!.ToJsonString());

        var log = (await (await admin.Client.GetAsync("/api/v1/sign-ins?limit=200", Ct)).JsonAsync())["data"]!.AsArray();
        var mine = log.Where(a => a!["userId"]?.GetValue<string>() == rep.UserId.ToString()).Select(a => a!["result"]!.GetValue<string>()).ToList();
        Assert.Equal(5, mine.Count(r => r == "wrongPassword"));
        Assert.Contains("lockedOut", mine);
        var manager = await factory.InviteAsync(admin, "sales-manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.GetAsync("/api/v1/sign-ins", Ct)).StatusCode);
        var stranger = await factory.SignUpAsync();
        var theirs = (await (await stranger.Client.GetAsync("/api/v1/sign-ins?limit=200", Ct)).JsonAsync())["data"]!.AsArray();
        Assert.DoesNotContain(theirs, a => a!["userId"]?.GetValue<string>() == rep.UserId.ToString());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sign_in_posts_are_throttled_per_address(string provider)
    {
        TestDatabases.RequireAvailable(provider);
        await using var factory = new RapportFactory(provider, new Dictionary<string, string?> { ["Rapport:RateLimits:SignInPerMinute"] = "3" });
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "x@example.com", password = "wrong-password" }, Ct)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var limited = await client.PostAsJsonAsync("/api/v1/auth/token", new { email = "x@example.com", password = "wrong-password" }, Ct);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_the_hub_refuses_other_origins()
    {
        var client = hosts.For(TestDatabases.Sqlite).CreateClient();
        var page = await client.GetAsync("/account/signin", Ct);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", page.Headers.GetValues("Referrer-Policy").Single());
        var hub = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        hub.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(hub, Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Only_administrators_change_workspace_settings(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync("Settled");
        var manager = await factory.InviteAsync(admin, "sales-manager");
        Assert.Equal(HttpStatusCode.OK, (await manager.Client.GetAsync("/api/v1/workspace", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.PatchJsonAsync("/api/v1/workspace", new { name = "Hijacked" }, "*")).StatusCode);
        Assert.Equal("Settled", (await (await admin.Client.GetAsync("/api/v1/workspace", Ct)).JsonAsync())["name"]!.GetValue<string>());
    }
}
