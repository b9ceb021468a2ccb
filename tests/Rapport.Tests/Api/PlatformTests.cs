using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class PlatformTests(Hosts hosts)
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Health_checks_the_database(string provider)
    {
        var response = await hosts.For(provider).CreateClient().GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OpenApi_document_describes_every_endpoint_and_the_reference_is_served()
    {
        var client = hosts.For(TestDatabases.Sqlite).CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var document = await (await client.GetAsync("/openapi/v1.json", ct)).JsonAsync();
        var paths = document["paths"]!.AsObject();
        foreach (var (path, method) in new[]
                 {
                     ("/api/v1/auth/signup", "post"), ("/api/v1/auth/token", "post"), ("/api/v1/me", "get"), ("/api/v1/me", "patch"),
                     ("/api/v1/workspace", "get"), ("/api/v1/workspace", "patch"),
                     ("/api/v1/companies", "get"), ("/api/v1/companies", "post"), ("/api/v1/companies/{id}", "get"),
                     ("/api/v1/companies/{id}", "patch"), ("/api/v1/companies/{id}", "delete"), ("/api/v1/companies/{id}/restore", "post"),
                 })
        {
            Assert.True(paths[path]?[method] is not null, $"{method.ToUpperInvariant()} {path} is missing from the OpenAPI document");
        }

        Assert.NotNull(document["components"]!["securitySchemes"]!["bearer"]);
        var docs = await client.GetAsync("/api/docs", ct);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    [Fact]
    public async Task Sqlite_runs_in_wal_mode_with_full_synchronous_commits()
    {
        var factory = hosts.For(TestDatabases.Sqlite);
        var tenant = await factory.SignUpAsync();
        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, (long?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)); // 2 = FULL
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Data_protection_keys_are_kept_in_the_database(string provider)
    {
        var factory = hosts.For(provider);
        var page = await factory.CreateClient().GetAsync("/account/signin", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode); // renders an antiforgery token, which needs a key
        var tenant = await factory.SignUpAsync();
        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        Assert.True(await db.DataProtectionKeys.AnyAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task App_pages_send_anonymous_visitors_to_sign_in()
    {
        var client = hosts.For(TestDatabases.Sqlite).CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/companies", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("/search?q=小明", "/search?q=%E5%B0%8F%E6%98%8E")]
    [InlineData("/contacts#top", "/contacts#top")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    public async Task Language_switch_returns_to_local_pages_only_and_survives_non_ascii_addresses(string returnUrl, string expected)
    {
        var client = hosts.For(TestDatabases.Sqlite).CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync($"/account/language?culture=zh-Hans&returnUrl={Uri.EscapeDataString(returnUrl)}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }
}
