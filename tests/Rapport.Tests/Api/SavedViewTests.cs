using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Views;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Saved views: CRUD with If-Match, private views stay private, sharing needs views.share, and a view must fit its entity's fields.</summary>
public sealed class SavedViewTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly object HotLeads = new
    {
        entity = "contact",
        name = "Hot leads",
        filter = new { and = new object[] { new { field = "lifecycleStage", op = "eq", value = "lead" }, new { field = "jobTitle", op = "contains", value = "CEO" } } },
        filterVersion = 1,
        sort = "-updatedAt",
        columns = new[] { "name", "jobTitle", "lifecycleStage" },
        layout = "kanban",
        groupBy = "lifecycleStage",
    };

    private static async Task<JsonArray> ViewsAsync(Tenant who, string entity = "contact") =>
        (await (await who.Client.GetAsync($"/api/v1/views?entity={entity}", Ct)).JsonAsync()).AsArray();

    /// <summary>A member holding one new role with the given permissions (and capabilities).</summary>
    internal static async Task<Tenant> MemberWithRoleAsync(RapportFactory factory, Tenant admin, object role)
    {
        var created = await admin.Client.PostJsonAsync("/api/v1/roles", role);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var member = await factory.InviteAsync(admin);
        var assign = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{member.UserId}/roles")
        {
            Content = JsonContent.Create(new { roleIds = new[] { Guid.Parse((await created.JsonAsync())["id"]!.GetValue<string>()) } }),
        };
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.SendAsync(assign, Ct)).StatusCode);
        return member;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_view_is_saved_listed_changed_with_If_Match_and_deleted_with_audit(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();

        var created = await admin.Client.PostJsonAsync("/api/v1/views", HotLeads);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.JsonAsync();
        var id = view["id"]!.GetValue<string>();
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        Assert.Equal("kanban", view["layout"]!.GetValue<string>());
        Assert.Equal("lead", view["filter"]!["and"]![0]!["value"]!.GetValue<string>());
        Assert.False(view["shared"]!.GetValue<bool>());
        Assert.True(view["canEdit"]!.GetValue<bool>());

        var listed = await ViewsAsync(admin);
        Assert.Equal(id, Assert.Single(listed)!["id"]!.GetValue<string>());
        Assert.Empty(await ViewsAsync(admin, "company"));

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.Client.PatchJsonAsync($"/api/v1/views/{id}", new { name = "Warm" }, null)).StatusCode);
        // The filter is replaced as a whole, never merged into the old tree.
        var changed = await admin.Client.PatchJsonAsync($"/api/v1/views/{id}",
            new { name = "Warm leads", filter = new { field = "lifecycleStage", op = "eq", value = "prospect" }, layout = "table" }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var after = await changed.JsonAsync();
        Assert.Equal("Warm leads", after["name"]!.GetValue<string>());
        Assert.Null(after["filter"]!["and"]);
        Assert.Equal("prospect", after["filter"]!["value"]!.GetValue<string>());
        Assert.Equal(new[] { "name", "jobTitle", "lifecycleStage" }, after["columns"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.Client.PatchJsonAsync($"/api/v1/views/{id}", new { name = "Stale" }, "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PatchJsonAsync($"/api/v1/views/{id}", new { entity = "company" }, "\"2\"")).StatusCode);

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.Client.DeleteAsync($"/api/v1/views/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/views/{id}", "\"2\"")).StatusCode);
        Assert.Empty(await ViewsAsync(admin));

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var audit = await db.Set<AuditEntry>().Where(a => a.EntityType == SavedView.TypeName && a.EntityId == Guid.Parse(id)).OrderBy(a => a.At).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal(new[] { AuditActions.Create, AuditActions.Update, AuditActions.Purge }, audit);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Another_member_never_sees_or_touches_a_private_view(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var mine = await (await manager.Client.PostJsonAsync("/api/v1/views", HotLeads)).JsonAsync();
        var id = mine["id"]!.GetValue<string>();

        // Not even an administrator sees a member's private view.
        Assert.Empty(await ViewsAsync(admin));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PatchJsonAsync($"/api/v1/views/{id}", new { name = "Taken" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.DeleteAsync($"/api/v1/views/{id}", "*")).StatusCode);
        // The same name is free for someone else.
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/views", HotLeads)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/views", HotLeads)).StatusCode);

        var own = await ViewsAsync(manager);
        Assert.Equal(id, Assert.Single(own)!["id"]!.GetValue<string>());
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal("Hot leads", (await db.Set<SavedView>().SingleAsync(v => v.Id == Guid.Parse(id), Ct)).Name);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sharing_a_view_needs_the_share_capability(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var manager = await factory.InviteAsync(admin, "sales-manager");

        var refused = await rep.Client.PostJsonAsync("/api/v1/views", new { entity = "company", name = "For everyone", shared = true });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("views.share", (await refused.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var privateOne = await (await rep.Client.PostJsonAsync("/api/v1/views", new { entity = "company", name = "Mine" })).JsonAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PatchJsonAsync($"/api/v1/views/{privateOne["id"]}", new { shared = true }, "*")).StatusCode);

        var shared = await manager.Client.PostJsonAsync("/api/v1/views", new { entity = "company", name = "Customers", shared = true,
            filter = new { field = "lifecycleStage", op = "eq", value = "customer" } });
        Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
        var sharedId = (await shared.JsonAsync())["id"]!.GetValue<string>();

        var seenByRep = (await ViewsAsync(rep, "company")).Select(v => (Id: v!["id"]!.GetValue<string>(), CanEdit: v["canEdit"]!.GetValue<bool>())).ToList();
        Assert.Contains((sharedId, false), seenByRep);
        Assert.Contains((privateOne["id"]!.GetValue<string>(), true), seenByRep);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PatchJsonAsync($"/api/v1/views/{sharedId}", new { name = "Mine now" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.DeleteAsync($"/api/v1/views/{sharedId}", "*")).StatusCode);

        // Any holder of the capability may change a shared view, whoever made it; admins hold them all.
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync($"/api/v1/views/{sharedId}", new { name = "Our customers" }, "*")).StatusCode);
        var role = await MemberWithRoleAsync(factory, admin, new
        {
            name = "Curator", permissions = new { company = new { read = "own" } }, capabilities = new[] { SavedViewRights.Share },
        });
        Assert.Equal(HttpStatusCode.NoContent, (await role.Client.DeleteAsync($"/api/v1/views/{sharedId}", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/roles", new { name = "Odd", capabilities = new[] { "views.fly" } })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Views_of_another_workspace_are_invisible_and_untouchable(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var shared = await (await admin.Client.PostJsonAsync("/api/v1/views", new { entity = "contact", name = "Team list", shared = true })).JsonAsync();
        var id = shared["id"]!.GetValue<string>();

        Assert.Empty(await ViewsAsync(stranger));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PatchJsonAsync($"/api/v1/views/{id}", new { name = "Hijacked" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync($"/api/v1/views/{id}", "*")).StatusCode);
        Assert.Equal("Team list", Assert.Single(await ViewsAsync(admin))!["name"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_view_that_does_not_fit_its_entity_is_a_400_naming_the_field(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();

        async Task<JsonObject> ErrorsAsync(object body)
        {
            var response = await admin.Client.PostJsonAsync("/api/v1/views", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.JsonAsync())["errors"]!.AsObject();
        }

        var filter = await ErrorsAsync(new { entity = "contact", name = "Bad", filter = new { field = "salary", op = "gt", value = 1 } });
        Assert.Contains("salary", filter["filter"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var wrongType = await ErrorsAsync(new { entity = "company", name = "Bad", filter = new { field = "annualRevenue", op = "gt", value = "lots" } });
        Assert.Contains("annualRevenue", wrongType["filter"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("salary", (await ErrorsAsync(new { entity = "contact", name = "Bad", sort = "-salary" }))["sort"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("shoeSize", (await ErrorsAsync(new { entity = "contact", name = "Bad", columns = new[] { "name", "shoeSize" } }))["columns"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True((await ErrorsAsync(new { entity = "contact", name = "Bad", layout = "kanban" })).ContainsKey("groupBy"));
        Assert.True((await ErrorsAsync(new { entity = "contact", name = "Bad", layout = "kanban", groupBy = "jobTitle" })).ContainsKey("groupBy"));
        Assert.True((await ErrorsAsync(new { entity = "contact", name = "Bad", filterVersion = 7 })).ContainsKey("filterVersion"));
        Assert.True((await ErrorsAsync(new { entity = "invoice", name = "Bad" })).ContainsKey("entity"));
        Assert.True((await ErrorsAsync(new { entity = "contact", name = " " })).ContainsKey("name"));
        Assert.True((await ErrorsAsync(new { entity = "contact", name = "Bad", owner = "me" })).ContainsKey("owner"));

        // A field the caller's roles hide is as unknown to their views as to their lists.
        var clerk = await MemberWithRoleAsync(factory, admin, new
        {
            name = "Clerk", permissions = new { company = new { read = "all" } }, fields = new { company = new { phone = "hidden" } },
        });
        var hidden = await clerk.Client.PostJsonAsync("/api/v1/views", new { entity = "company", name = "Phones", filter = new { field = "phone", op = "isNotNull" } });
        Assert.Equal(HttpStatusCode.BadRequest, hidden.StatusCode);
        Assert.Contains("phone", (await hidden.JsonAsync())["errors"]!["filter"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await clerk.Client.PostJsonAsync("/api/v1/views", new { entity = "company", name = "Cols", columns = new[] { "name", "phone" } })).StatusCode);
        Assert.Empty(await ViewsAsync(admin));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Custom_fields_are_columns_filters_and_kanban_fields_of_views(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var options = new[] { new { key = "gold", label = "Gold" }, new { key = "silver", label = "Silver" } };
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields", new { entityType = "contact", key = "tier", type = "singleSelect", label = "Tier", options })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields", new { entityType = "contact", key = "hobbies", type = "multiSelect", label = "Hobbies", options })).StatusCode);

        var view = await admin.Client.PostJsonAsync("/api/v1/views", new
        {
            entity = "contact", name = "By tier", filter = new { field = "custom.tier", op = "in", value = new[] { "gold", "silver" } },
            columns = new[] { "name", "custom.tier", "custom.hobbies" }, layout = "kanban", groupBy = "custom.tier",
        });
        Assert.Equal(HttpStatusCode.Created, view.StatusCode);
        var bad = await admin.Client.PostJsonAsync("/api/v1/views", new { entity = "contact", name = "By hobby", layout = "kanban", groupBy = "custom.hobbies" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("custom.tier", (await bad.JsonAsync())["errors"]!["groupBy"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/views", new { entity = "company", name = "Wrong entity", columns = new[] { "name", "custom.tier" } })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_member_who_may_not_read_an_entity_keeps_no_views_of_it(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var roleless = await factory.InviteAsync(admin);

        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.Client.PostJsonAsync("/api/v1/views", new { entity = "contact", name = "Peek" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.Client.GetAsync("/api/v1/views?entity=contact", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync("/api/v1/views", Ct)).StatusCode);
    }
}
