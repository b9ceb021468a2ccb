using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Modules.Customers.Companies;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Field-level security: hidden fields are absent from reads, lists, filters and sorts; read-only ones cannot be written.</summary>
public sealed class FieldSecurityTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(Tenant Admin, Tenant Clerk, Guid RoleId)> SetUpAsync(RapportFactory factory)
    {
        var admin = await factory.SignUpAsync();
        var role = await admin.Client.PostJsonAsync("/api/v1/roles", new
        {
            name = "Clerk",
            permissions = new { company = new { create = "all", read = "all", update = "all" } },
            fields = new { company = new { phone = "hidden", industry = "readOnly" } },
        });
        Assert.Equal(HttpStatusCode.Created, role.StatusCode);
        var roleId = Guid.Parse((await role.JsonAsync())["id"]!.GetValue<string>());
        var clerk = await factory.InviteAsync(admin);
        var assign = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{clerk.UserId}/roles")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { roleIds = new[] { roleId } }),
        };
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.SendAsync(assign, Ct)).StatusCode);
        return (admin, clerk, roleId);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Hidden_fields_are_absent_from_reads_and_lists_and_cannot_be_filtered_or_sorted(string provider)
    {
        var factory = hosts.For(provider);
        var (admin, clerk, _) = await SetUpAsync(factory);
        var (id, _) = await admin.Client.CreateCompanyAsync(new { name = "Secretive", phone = "+86 21 5555 0000", industry = "Mining" });

        var one = await (await clerk.Client.GetAsync($"/api/v1/companies/{id}", Ct)).JsonAsync();
        Assert.False(one.AsObject().ContainsKey("phone"));
        Assert.Equal("Mining", one["industry"]!.GetValue<string>());
        var list = await (await clerk.Client.GetAsync("/api/v1/companies", Ct)).JsonAsync();
        Assert.All(list["data"]!.AsArray(), c => Assert.False(c!.AsObject().ContainsKey("phone")));
        Assert.Equal(HttpStatusCode.BadRequest, (await clerk.Client.GetAsync(
            $"/api/v1/companies?filter={Uri.EscapeDataString("""{"field":"phone","op":"startsWith","value":"+86"}""")}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await clerk.Client.GetAsync("/api/v1/companies?sort=phone", Ct)).StatusCode);

        var adminView = await (await admin.Client.GetAsync($"/api/v1/companies/{id}", Ct)).JsonAsync();
        Assert.Equal("+86 21 5555 0000", adminView["phone"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Writing_a_read_only_or_hidden_field_is_a_403_and_changes_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var (admin, clerk, _) = await SetUpAsync(factory);
        var (id, etag) = await admin.Client.CreateCompanyAsync(new { name = "Guarded", phone = "+1 555 0100", industry = "Retail" });

        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { industry = "Banking" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { phone = "+1 555 0199" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Client.PostJsonAsync("/api/v1/companies", new { name = "With phone", phone = "+1 555 0123" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Client.PostJsonAsync("/api/v1/companies", new { name = "With industry", industry = "Retail" })).StatusCode);

        var renamed = await clerk.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { name = "Guarded Ltd" }, etag);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await clerk.Client.PostJsonAsync("/api/v1/companies", new { name = "Plain" })).StatusCode);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var company = await db.Set<Company>().SingleAsync(c => c.Id == id, Ct);
        Assert.Equal(("Guarded Ltd", "+1 555 0100", "Retail"), (company.Name, company.Phone, company.Industry));
        Assert.Equal(2, company.Version);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_most_permissive_role_decides_a_field(string provider)
    {
        var factory = hosts.For(provider);
        var (admin, clerk, clerkRole) = await SetUpAsync(factory);
        var roles = (await (await admin.Client.GetAsync("/api/v1/roles", Ct)).JsonAsync()).AsArray();
        var readOnly = Guid.Parse(roles.Single(r => r!["builtIn"]?.GetValue<string>() == "read-only")!["id"]!.GetValue<string>());
        var both = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{clerk.UserId}/roles")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { roleIds = new[] { clerkRole, readOnly } }),
        };
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.SendAsync(both, Ct)).StatusCode);
        var (id, _) = await admin.Client.CreateCompanyAsync(new { name = "Visible", phone = "+1 555 0142" });
        var one = await (await clerk.Client.GetAsync($"/api/v1/companies/{id}", Ct)).JsonAsync();
        Assert.Equal("+1 555 0142", one["phone"]!.GetValue<string>());

        var badRule = await admin.Client.PostJsonAsync("/api/v1/roles", new { name = "Bad", fields = new { company = new { passwordHash = "hidden" } } });
        Assert.Equal(HttpStatusCode.BadRequest, badRule.StatusCode);
    }
}
