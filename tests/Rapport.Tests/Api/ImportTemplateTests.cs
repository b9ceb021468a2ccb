using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Imports;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Mapping templates: saved, listed and deleted per entity type, checked like an import's mapping, only for members who may import.</summary>
public sealed class ImportTemplateTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Fair(string name = "Trade fair") => new
    {
        entity = "contact", name, mapping = new Dictionary<string, string?> { ["姓名"] = "name", ["E-mail"] = "emails", ["Notes"] = null }, mode = "upsert", key = "email",
    };

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_template_is_saved_listed_for_its_entity_and_deleted_with_if_match(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();

        var created = await admin.Client.PostJsonAsync("/api/v1/imports/templates", Fair());

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        var template = await created.JsonAsync();
        Assert.Equal(("Trade fair", "upsert", "email"), (template["name"]!.GetValue<string>(), template["mode"]!.GetValue<string>(), template["key"]!.GetValue<string>()));
        Assert.Equal("emails", template["mapping"]!["E-mail"]!.GetValue<string>());
        Assert.Null(template["mapping"]!["Notes"]);
        var list = (await (await admin.Client.GetAsync("/api/v1/imports/templates?entity=contact", Ct)).JsonAsync()).AsArray();
        Assert.Equal(template["id"]!.GetValue<string>(), Assert.Single(list)!["id"]!.GetValue<string>());
        Assert.True(list[0]!["canDelete"]!.GetValue<bool>());
        Assert.Empty((await (await admin.Client.GetAsync("/api/v1/imports/templates?entity=company", Ct)).JsonAsync()).AsArray());

        var url = $"/api/v1/imports/templates/{template["id"]}";
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.Client.DeleteAsync(url, null)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.Client.DeleteAsync(url, "\"7\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync(url, "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.DeleteAsync(url, "*")).StatusCode);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.False(await db.Set<ImportTemplate>().AnyAsync(Ct));
        Assert.Equal([AuditActions.Create, AuditActions.Purge],
            await db.Set<AuditEntry>().Where(a => a.EntityType == ImportTemplate.TypeName).OrderBy(a => a.At).Select(a => a.Action).ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Bad_templates_are_refused_naming_the_field_and_nothing_is_saved(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/imports/templates", Fair())).StatusCode);

        async Task RefusedAsync(object body, string field, string? says = null)
        {
            var response = await admin.Client.PostJsonAsync("/api/v1/imports/templates", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var errors = (await response.JsonAsync())["errors"]![field];
            Assert.True(errors is not null, $"no error on {field}: {await response.Content.ReadAsStringAsync(Ct)}");
            Assert.Contains(says ?? "", errors.ToJsonString(), StringComparison.Ordinal);
        }

        var mapping = new Dictionary<string, string?> { ["Mail"] = "emails" };
        await RefusedAsync(Fair(), "name", "exists already");
        await RefusedAsync(new { entity = "contact", name = " ", mapping }, "name");
        await RefusedAsync(new { entity = "contact", name = new string('x', ImportTemplate.NameMaxLength + 1), mapping }, "name");
        await RefusedAsync(new { entity = "deal", name = "Deals", mapping }, "entity");
        await RefusedAsync(new { entity = "contact", name = "Fax", mapping = new Dictionary<string, string?> { ["Fax"] = "fax" } }, "mapping", "fax");
        await RefusedAsync(new { entity = "contact", name = "Nothing", mapping = new Dictionary<string, string?> { ["Notes"] = null } }, "mapping");
        await RefusedAsync(new { entity = "contact", name = "Merge", mapping, mode = "merge" }, "mode");
        await RefusedAsync(new { entity = "contact", name = "By domain", mapping, key = "domain" }, "key");
        await RefusedAsync(new { entity = "contact", name = "No key", mapping = new Dictionary<string, string?> { ["Name"] = "name" }, mode = "update" }, "key", "emails");
        await RefusedAsync(new { entity = "contact", name = "Extra", mapping, shared = true }, "shared");

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(["Trade fair"], await db.Set<ImportTemplate>().Select(t => t.Name).ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Members_without_the_import_right_and_other_workspaces_are_refused_and_nothing_changes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep"); // no import right
        var manager = await factory.InviteAsync(admin, "sales-manager"); // imports at level all
        var stranger = await factory.SignUpAsync();
        var template = await (await admin.Client.PostJsonAsync("/api/v1/imports/templates", Fair())).JsonAsync();
        var url = $"/api/v1/imports/templates/{template["id"]}";

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PostJsonAsync("/api/v1/imports/templates", Fair("The rep's"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.GetAsync("/api/v1/imports/templates?entity=contact", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.DeleteAsync(url, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync(url, "*")).StatusCode);
        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/imports/templates?entity=contact", Ct)).JsonAsync()).AsArray());
        Assert.Equal(HttpStatusCode.Created, (await stranger.Client.PostJsonAsync("/api/v1/imports/templates", Fair())).StatusCode); // names are per workspace

        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            var kept = await db.Set<ImportTemplate>().SingleAsync(Ct);
            Assert.Equal((Guid.Parse(template["id"]!.GetValue<string>()), 1), (kept.Id, kept.Version));
        }

        var managers = (await (await manager.Client.GetAsync("/api/v1/imports/templates?entity=contact", Ct)).JsonAsync()).AsArray();
        Assert.True(Assert.Single(managers)!["canDelete"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.DeleteAsync(url, "*")).StatusCode);
    }

    [Fact]
    public void Applying_a_template_maps_the_columns_it_knows_and_keeps_the_others_without_mapping_a_field_twice()
    {
        var template = new ImportTemplateDto(Guid.NewGuid(), "contact", "Fair", new Dictionary<string, string?> { ["E-Mail"] = "emails", ["Remarks"] = null, ["Gone"] = "tags" },
            "create", "email", Guid.NewGuid(), DateTimeOffset.UnixEpoch, true, 1);
        string[] headers = ["Name", "email", "Email address", "Remarks"];
        var suggested = new Dictionary<string, string?> { ["Name"] = "name", ["email"] = null, ["Email address"] = "emails", ["Remarks"] = "jobTitle" };

        Assert.Equal(2, template.MatchingColumns(headers));
        Assert.Equal(new Dictionary<string, string?> { ["Name"] = "name", ["email"] = "emails", ["Email address"] = null, ["Remarks"] = null },
            template.ApplyTo(headers, suggested));
    }
}
