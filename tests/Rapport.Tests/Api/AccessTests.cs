using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Modules.Customers.Companies;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Record-level access: none, own, team and all, decided in the database query, with 404 for what one cannot see and 403 for what one may not do.</summary>
public sealed class AccessTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<string>> NamesAsync(Tenant who) =>
        [.. (await (await who.Client.GetAsync("/api/v1/companies?sort=name&limit=200", Ct)).JsonAsync())["data"]!.AsArray()
            .Select(c => c!["name"]!.GetValue<string>())];

    private static async Task<string> SnapshotAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        var companies = await db.Set<Company>().IgnoreQueryFilters([Rapport.Kernel.Data.RapportDbContext.TrashFilter]).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.Name, c.OwnerId, c.TeamId, c.Version, c.DeletedAt }).ToListAsync(Ct);
        var audits = await db.Set<AuditEntry>().CountAsync(Ct);
        return System.Text.Json.JsonSerializer.Serialize(new { companies, audits });
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sales_rep_reaches_only_their_own_companies_and_nothing_else_changes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var (adminsCompany, etag) = await admin.Client.CreateCompanyAsync(new { name = "Admin's" });
        await rep.Client.CreateCompanyAsync(new { name = "Rep's" });

        Assert.Equal(["Rep's"], await NamesAsync(rep));
        Assert.Equal(["Admin's", "Rep's"], await NamesAsync(admin));
        var before = await SnapshotAsync(factory, admin.WorkspaceId);
        var url = $"/api/v1/companies/{adminsCompany}";
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.PatchJsonAsync(url, new { name = "Mine now" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.DeleteAsync(url, etag)).StatusCode);
        var filtered = await rep.Client.GetAsync($"/api/v1/companies?filter={Uri.EscapeDataString("""{"field":"name","op":"eq","value":"Admin's"}""")}", Ct);
        Assert.Empty((await filtered.JsonAsync())["data"]!.AsArray());
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sales_manager_changes_the_team_companies_but_only_reads_the_rest(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var outsider = await factory.InviteAsync(admin, "sales-rep");
        var team = await admin.Client.PostJsonAsync("/api/v1/teams", new { name = "East", memberIds = new[] { manager.UserId, rep.UserId } });
        Assert.Equal(HttpStatusCode.Created, team.StatusCode);
        var teamId = (await team.JsonAsync())["id"]!.GetValue<string>();

        var (repsCompany, repsTag) = await rep.Client.CreateCompanyAsync(new { name = "Rep's" });
        var (teamCompany, teamTag) = await admin.Client.CreateCompanyAsync(new { name = "Team's", teamId });
        var (outsiderCompany, outsiderTag) = await outsider.Client.CreateCompanyAsync(new { name = "Outsider's" });

        Assert.Equal(["Outsider's", "Rep's", "Team's"], await NamesAsync(manager));
        Assert.Equal(HttpStatusCode.OK, (await manager.Client.PatchJsonAsync($"/api/v1/companies/{repsCompany}", new { industry = "Retail" }, repsTag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.Client.PatchJsonAsync($"/api/v1/companies/{teamCompany}", new { industry = "Retail" }, teamTag)).StatusCode);

        var before = await SnapshotAsync(factory, admin.WorkspaceId);
        var refused = await manager.Client.PatchJsonAsync($"/api/v1/companies/{outsiderCompany}", new { industry = "Retail" }, outsiderTag);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("https://rapport.dev/problems/forbidden", (await refused.JsonAsync())["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.DeleteAsync($"/api/v1/companies/{outsiderCompany}", outsiderTag)).StatusCode);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Read_only_and_roleless_members_cannot_write(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var reader = await factory.InviteAsync(admin, "read-only");
        var nobody = await factory.InviteAsync(admin);
        var (id, etag) = await admin.Client.CreateCompanyAsync(new { name = "Shared" });
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        Assert.Equal(["Shared"], await NamesAsync(reader));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Client.PostJsonAsync("/api/v1/companies", new { name = "New" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Client.PatchJsonAsync($"/api/v1/companies/{id}", new { name = "X" }, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Client.DeleteAsync($"/api/v1/companies/{id}", etag)).StatusCode);

        Assert.Empty(await NamesAsync(nobody));
        Assert.Equal(HttpStatusCode.NotFound, (await nobody.Client.GetAsync($"/api/v1/companies/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.Client.PostJsonAsync("/api/v1/companies", new { name = "New" })).StatusCode);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Assigning_an_owner_needs_the_assign_right(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var rep = await factory.InviteAsync(admin, "sales-rep");
        await admin.Client.PostJsonAsync("/api/v1/teams", new { name = "West", memberIds = new[] { manager.UserId, rep.UserId } });

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PostJsonAsync("/api/v1/companies", new { name = "For the boss", ownerId = manager.UserId })).StatusCode);
        var (mine, tag) = await rep.Client.CreateCompanyAsync(new { name = "Mine" });
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PatchJsonAsync($"/api/v1/companies/{mine}", new { ownerId = manager.UserId }, tag)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await manager.Client.PostJsonAsync("/api/v1/companies", new { name = "For the rep", ownerId = rep.UserId })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.PostJsonAsync("/api/v1/companies", new { name = "For the admin", ownerId = admin.UserId })).StatusCode);
        Assert.Contains("For the rep", await NamesAsync(rep));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Non_admins_are_refused_administration_and_nothing_changes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var roles = (await (await admin.Client.GetAsync("/api/v1/roles", Ct)).JsonAsync()).AsArray();
        var adminRole = roles.Single(r => r!["builtIn"]!.GetValue<string>() == "admin")!["id"]!.GetValue<string>();
        var before = await SnapshotAsync(factory, admin.WorkspaceId);
        var rolesBefore = (await (await admin.Client.GetAsync("/api/v1/roles", Ct)).JsonAsync()).ToJsonString();

        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.GetAsync("/api/v1/roles", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.PostJsonAsync("/api/v1/roles", new { name = "Mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.PatchJsonAsync($"/api/v1/roles/{adminRole}", new { name = "X" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.DeleteAsync($"/api/v1/roles/{adminRole}", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{manager.UserId}/roles")
            { Content = System.Net.Http.Json.JsonContent.Create(new { roleIds = new[] { adminRole } }) }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.PostJsonAsync("/api/v1/invitations", new { email = "friend@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.GetAsync("/api/v1/invitations", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.PostJsonAsync("/api/v1/teams", new { name = "Rogue" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.GetAsync($"/api/v1/access/explain?userId={manager.UserId}&entity=company", Ct)).StatusCode);

        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
        Assert.Equal(rolesBefore, (await (await admin.Client.GetAsync("/api/v1/roles", Ct)).JsonAsync()).ToJsonString());
        Assert.Empty((await (await admin.Client.GetAsync("/api/v1/teams", Ct)).JsonAsync()).AsArray());
        Assert.Empty((await (await admin.Client.GetAsync("/api/v1/invitations", Ct)).JsonAsync()).AsArray());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_last_administrator_cannot_be_removed(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var roles = (await (await admin.Client.GetAsync("/api/v1/roles", Ct)).JsonAsync()).AsArray();
        var adminRole = roles.Single(r => r!["builtIn"]!.GetValue<string>() == "admin")!;
        var adminRoleId = adminRole["id"]!.GetValue<string>();
        var readOnly = roles.Single(r => r!["builtIn"]!.GetValue<string>() == "read-only")!["id"]!.GetValue<string>();

        var demote = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{admin.UserId}/roles") { Content = System.Net.Http.Json.JsonContent.Create(new { roleIds = new[] { readOnly } }) };
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.SendAsync(demote, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PatchJsonAsync($"/api/v1/roles/{adminRoleId}", new { isAdministrator = false }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.DeleteAsync($"/api/v1/roles/{adminRoleId}", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/api/v1/roles", Ct)).StatusCode);

        var second = await factory.InviteAsync(admin, "admin");
        var demoteNow = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{admin.UserId}/roles") { Content = System.Net.Http.Json.JsonContent.Create(new { roleIds = new[] { readOnly } }) };
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.SendAsync(demoteNow, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.Client.GetAsync("/api/v1/roles", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync("/api/v1/roles", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Explain_says_which_role_and_level_decided(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var (repsCompany, _) = await rep.Client.CreateCompanyAsync(new { name = "Rep's" });
        var (adminsCompany, _) = await admin.Client.CreateCompanyAsync(new { name = "Admin's" });

        JsonNode Action(JsonNode explain, string action) => explain["actions"]!.AsArray().Single(a => a!["action"]!.GetValue<string>() == action)!;
        var own = await (await admin.Client.GetAsync($"/api/v1/access/explain?userId={rep.UserId}&entity=company&id={repsCompany}", Ct)).JsonAsync();
        Assert.True(Action(own, "read")["allowed"]!.GetValue<bool>());
        Assert.Equal("own", Action(own, "read")["level"]!.GetValue<string>());
        Assert.Equal("Sales rep", Action(own, "read")["roleName"]!.GetValue<string>());
        Assert.Contains("owns", Action(own, "read")["reason"]!.GetValue<string>());
        Assert.False(Action(own, "assign")["allowed"]!.GetValue<bool>());

        var other = await (await admin.Client.GetAsync($"/api/v1/access/explain?userId={rep.UserId}&entity=company&id={adminsCompany}", Ct)).JsonAsync();
        Assert.False(Action(other, "read")["allowed"]!.GetValue<bool>());
        Assert.Contains("not one of them", Action(other, "read")["reason"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync($"/api/v1/access/explain?userId={rep.UserId}&entity=spaceship", Ct)).StatusCode);
        var stranger = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync($"/api/v1/access/explain?userId={stranger.UserId}&entity=company", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/access/explain?userId={stranger.UserId}&entity=company&id={repsCompany}", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Custom_roles_and_teams_are_managed_per_workspace(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var created = await admin.Client.PostJsonAsync("/api/v1/roles", new { name = "Auditor", permissions = new { company = new { read = "all", export = "all" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var role = await created.JsonAsync();
        Assert.Equal("all", role["permissions"]!["company"]!["read"]!.GetValue<string>());
        var id = role["id"]!.GetValue<string>();

        var bad = await admin.Client.PostJsonAsync("/api/v1/roles", new { name = "Bad", permissions = new { spaceship = new { read = "all" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badLevel = await admin.Client.PostJsonAsync("/api/v1/roles", new { name = "Bad", permissions = new { company = new { read = "galaxy" } } });
        Assert.Equal(HttpStatusCode.BadRequest, badLevel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/roles", new { name = "Auditor" })).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PatchJsonAsync($"/api/v1/roles/{id}", new { name = "Stolen" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync($"/api/v1/roles/{id}", "*")).StatusCode);
        Assert.DoesNotContain("Auditor", (await (await stranger.Client.GetAsync("/api/v1/roles", Ct)).JsonAsync()).AsArray().Select(r => r!["name"]!.GetValue<string>()));

        var team = await (await admin.Client.PostJsonAsync("/api/v1/teams", new { name = "North" })).JsonAsync();
        var teamId = team["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PatchJsonAsync($"/api/v1/teams/{teamId}", new { memberIds = new[] { stranger.UserId } }, "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PatchJsonAsync($"/api/v1/teams/{teamId}", new { name = "Mine" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stranger.Client.PostJsonAsync("/api/v1/companies", new { name = "X", teamId })).StatusCode);
        await admin.Client.CreateCompanyAsync(new { name = "In the north", teamId });
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.DeleteAsync($"/api/v1/teams/{teamId}", "*")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Invitation_links_work_once_and_an_existing_account_needs_its_password(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var other = await factory.SignUpAsync();
        var invited = await (await admin.Client.PostJsonAsync("/api/v1/invitations", new { email = other.Email })).JsonAsync();
        var link = invited["link"]!.GetValue<string>();
        Assert.StartsWith("http://localhost:5080/account/invite?token=", link);
        var token = link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var anonymous = factory.CreateClient();

        var wrong = await anonymous.PostJsonAsync("/api/v1/auth/invitations/accept", new { token, password = "not-the-password" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.NotNull((await wrong.JsonAsync())["errors"]!["password"]);
        var ok = await anonymous.PostJsonAsync("/api/v1/auth/invitations/accept", new { token, password = TestApi.Password });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(admin.WorkspaceId.ToString(), (await ok.JsonAsync())["workspaceId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostJsonAsync("/api/v1/auth/invitations/accept", new { token, password = TestApi.Password })).StatusCode);

        var members = (await (await admin.Client.GetAsync("/api/v1/members", Ct)).JsonAsync()).AsArray();
        Assert.Equal(2, members.Count);
        var revoked = await (await admin.Client.PostJsonAsync("/api/v1/invitations", new { email = "late@example.com" })).JsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/invitations/{revoked["id"]!.GetValue<string>()}", null)).StatusCode);
        var revokedToken = revoked["link"]!.GetValue<string>().Split("token=")[1];
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostJsonAsync("/api/v1/auth/invitations/accept",
            new { token = revokedToken, password = TestApi.Password, displayName = "Late" })).StatusCode);
    }
}
