using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Modules.Customers.Companies;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class TenancyTests(Hosts hosts)
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Another_workspace_gets_404_on_every_company_route_and_nothing_changes(string provider)
    {
        var factory = hosts.For(provider);
        var owner = await factory.SignUpAsync();
        var intruder = await factory.SignUpAsync();
        var (id, etag) = await owner.Client.CreateCompanyAsync(new { name = "Secret Corp", domain = "secret.com" });
        var (trashed, trashedTag) = await owner.Client.CreateCompanyAsync(new { name = "Trashed Corp" });
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/v1/companies/{trashed}", trashedTag)).StatusCode);
        var auditBefore = await AuditCountAsync(factory, owner.WorkspaceId);

        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.GetAsync($"/api/v1/companies/{id}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { name = "Pwned" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { name = "Pwned" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.DeleteAsync($"/api/v1/companies/{id}", etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.Client.PostJsonAsync($"/api/v1/companies/{trashed}/restore", new { })).StatusCode);
        var list = await (await intruder.Client.GetAsync("/api/v1/companies?limit=200", ct)).JsonAsync();
        Assert.Empty(list["data"]!.AsArray());
        var trash = await (await intruder.Client.GetAsync("/api/v1/companies?trash=true", ct)).JsonAsync();
        Assert.Empty(trash["data"]!.AsArray());
        var filtered = await (await intruder.Client.GetAsync($"/api/v1/companies?filter={Uri.EscapeDataString($"{{\"field\":\"id\",\"op\":\"eq\",\"value\":\"{id}\"}}")}", ct)).JsonAsync();
        Assert.Empty(filtered["data"]!.AsArray());

        var mine = await (await owner.Client.GetAsync($"/api/v1/companies/{id}", ct)).JsonAsync();
        Assert.Equal("Secret Corp", mine["name"]!.GetValue<string>());
        Assert.Equal(1, mine["version"]!.GetValue<int>());
        Assert.Equal(auditBefore, await AuditCountAsync(factory, owner.WorkspaceId));
        await using var scope = factory.WorkspaceScope(owner.WorkspaceId, out var db);
        var stillTrashed = await db.Set<Company>().IgnoreQueryFilters().SingleAsync(c => c.Id == trashed, ct);
        Assert.NotNull(stillTrashed.DeletedAt);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Anonymous_callers_get_401_on_every_api_route(string provider)
    {
        var client = hosts.For(provider).CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/companies", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/companies/{id}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostJsonAsync("/api/v1/companies", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PatchJsonAsync($"/api/v1/companies/{id}", new { name = "x" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync($"/api/v1/companies/{id}", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/workspace", ct)).StatusCode);
        client.DefaultRequestHeaders.Authorization = new("Bearer", "rpt_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/companies", ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Workspace_settings_are_per_workspace(string provider)
    {
        var factory = hosts.For(provider);
        var a = await factory.SignUpAsync("Alpha");
        var b = await factory.SignUpAsync("Beta");
        var ct = TestContext.Current.CancellationToken;
        var ofB = await (await b.Client.GetAsync("/api/v1/workspace", ct)).JsonAsync();
        Assert.Equal("Beta", ofB["name"]!.GetValue<string>());
        Assert.Equal(b.WorkspaceId.ToString(), ofB["id"]!.GetValue<string>());
        var change = await a.Client.PatchJsonAsync("/api/v1/workspace", new { name = "Alpha 2" }, "*");
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal("Beta", (await (await b.Client.GetAsync("/api/v1/workspace", ct)).JsonAsync())["name"]!.GetValue<string>());
    }

    /// <summary>The database itself refuses a link into another workspace: the owner FK includes the workspace id.</summary>
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Database_refuses_an_owner_from_another_workspace(string provider)
    {
        var factory = hosts.For(provider);
        var a = await factory.SignUpAsync();
        var b = await factory.SignUpAsync();
        await using var scope = factory.WorkspaceScope(a.WorkspaceId, out var db);
        db.Add(Company.Create(new CompanyFields("Sneaky", OwnerId: b.UserId)));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<int> AuditCountAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        return await db.Set<AuditEntry>().CountAsync(TestContext.Current.CancellationToken);
    }
}
