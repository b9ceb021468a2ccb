using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Bulk;
using Rapport.Kernel.Data;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Bulk actions: each record goes through the entity's own rules (rights, field rights, validation, audit, version); skipped ones say why.</summary>
public sealed class BulkTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Guid> ContactAsync(Tenant who, object body)
    {
        var response = await who.Client.PostJsonAsync("/api/v1/contacts", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>());
    }

    private static async Task<JsonNode> BulkAsync(Tenant who, string entity, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await who.Client.PostJsonAsync($"/api/v1/{entity}/bulk", body);
        Assert.Equal(expected, response.StatusCode);
        return await response.JsonAsync();
    }

    private static List<Guid> Succeeded(JsonNode result) => [.. result["succeeded"]!.AsArray().Select(i => Guid.Parse(i!.GetValue<string>()))];

    private static Dictionary<Guid, string> Skipped(JsonNode result) =>
        result["skipped"]!.AsArray().ToDictionary(s => Guid.Parse(s!["id"]!.GetValue<string>()), s => s!["reason"]!.GetValue<string>());

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Update_sets_the_field_on_every_contact_through_its_rules_with_audit(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await ContactAsync(admin, new { lastName = $"Bulk {i}", lifecycleStage = "lead" }));
        }

        var result = await BulkAsync(admin, "contacts", new { ids = ids.Append(ids[0]), action = "update", field = "lifecycleStage", value = "customer" });
        Assert.Equal(ids, Succeeded(result));
        Assert.Empty(Skipped(result));

        var invalid = await BulkAsync(admin, "contacts", new { ids, action = "update", field = "lifecycleStage", value = "martian" });
        Assert.Empty(Succeeded(invalid));
        Assert.All(Skipped(invalid).Values, reason => Assert.Contains("Lifecycle stage must be one of", reason, StringComparison.Ordinal));

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var contacts = await db.Set<Contact>().Where(c => ids.Contains(c.Id)).ToListAsync(Ct);
        Assert.All(contacts, c => Assert.Equal(("customer", 2), (c.LifecycleStage, c.Version)));
        var audit = await db.Set<AuditEntry>().Where(a => a.EntityType == Contact.TypeName && a.Action == AuditActions.Update).ToListAsync(Ct);
        Assert.Equal(3, audit.Count);
        Assert.All(audit, a => Assert.Contains("customer", a.Changes, StringComparison.Ordinal));
        var job = Assert.Single(await db.Set<AuditEntry>().Where(a => a.Action == BulkActions.AuditAction).ToListAsync(Ct));
        Assert.All(ids, id => Assert.Contains(id.ToString(), job.Changes, StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Update_sets_a_custom_field_and_refuses_one_the_caller_may_not_edit(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var options = new[] { new { key = "gold", label = "Gold" }, new { key = "silver", label = "Silver" } };
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields", new { entityType = "contact", key = "tier", type = "singleSelect", label = "Tier", options })).StatusCode);
        var ids = new[] { await ContactAsync(admin, new { lastName = "Gilded" }), await ContactAsync(admin, new { lastName = "Plated" }) };

        Assert.Equal(ids, Succeeded(await BulkAsync(admin, "contacts", new { ids, action = "update", field = "custom.tier", value = "gold" })));
        Assert.All(Skipped(await BulkAsync(admin, "contacts", new { ids, action = "update", field = "custom.tier", value = "platinum" })).Values,
            reason => Assert.Contains("custom.tier", reason, StringComparison.Ordinal));
        await BulkAsync(admin, "contacts", new { ids, action = "update", field = "custom.nothing", value = "x" }, HttpStatusCode.BadRequest);
        var clerk = await SavedViewTests.MemberWithRoleAsync(factory, admin, new
        {
            name = "Clerk", permissions = new { contact = new { read = "all", update = "all", massUpdate = "all" } },
            fields = new Dictionary<string, object> { ["contact"] = new Dictionary<string, string> { ["custom.tier"] = "readOnly" } },
        });
        await BulkAsync(clerk, "contacts", new { ids, action = "update", field = "custom.tier", value = "silver" }, HttpStatusCode.Forbidden);

        foreach (var id in ids)
        {
            var contact = await (await admin.Client.GetAsync($"/api/v1/contacts/{id}", Ct)).JsonAsync();
            Assert.Equal("gold", contact["custom"]!["tier"]!.GetValue<string>());
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Tags_are_added_and_removed_on_many_contacts(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var tagged = await ContactAsync(admin, new { lastName = "Tagged", tags = new[] { "vip", "Expo 2026" } });
        var plain = await ContactAsync(admin, new { lastName = "Plain" });

        Assert.Equal(2, Succeeded(await BulkAsync(admin, "contacts", new { ids = new[] { tagged, plain }, action = "addTags", tags = new[] { "VIP", "newsletter" } })).Count);
        Assert.Equal(2, Succeeded(await BulkAsync(admin, "contacts", new { ids = new[] { tagged, plain }, action = "removeTags", tags = new[] { "expo 2026" } })).Count);
        await BulkAsync(admin, "contacts", new { ids = new[] { tagged }, action = "addTags", tags = Array.Empty<string>() }, HttpStatusCode.BadRequest);

        var tags = await (await admin.Client.GetAsync($"/api/v1/contacts/{tagged}", Ct)).JsonAsync();
        Assert.Equal(new[] { "vip", "newsletter" }, tags["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var other = await (await admin.Client.GetAsync($"/api/v1/contacts/{plain}", Ct)).JsonAsync();
        Assert.Equal(new[] { "VIP", "newsletter" }, other["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Owners_are_assigned_and_companies_deleted_into_the_trash(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var (first, _) = await admin.Client.CreateCompanyAsync(new { name = "Bulk One" });
        var (second, _) = await admin.Client.CreateCompanyAsync(new { name = "Bulk Two" });

        var assigned = await BulkAsync(admin, "companies", new { ids = new[] { first, second }, action = "assignOwner", ownerId = manager.UserId });
        Assert.Equal(2, Succeeded(assigned).Count);
        await BulkAsync(admin, "companies", new { ids = new[] { first }, action = "assignOwner" }, HttpStatusCode.BadRequest);
        var notMember = await BulkAsync(admin, "companies", new { ids = new[] { first }, action = "assignOwner", ownerId = Guid.NewGuid() });
        Assert.Contains("ownerId", Skipped(notMember)[first], StringComparison.Ordinal);

        var deleted = await BulkAsync(admin, "companies", new { ids = new[] { first, second }, action = "delete" });
        Assert.Equal(2, Succeeded(deleted).Count);
        var trash = await (await admin.Client.GetAsync("/api/v1/companies?trash=true", Ct)).JsonAsync();
        Assert.Equal(2, trash["data"]!.AsArray().Count);
        Assert.All(trash["data"]!.AsArray(), c => Assert.Equal(manager.UserId.ToString(), c!["ownerId"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"/api/v1/companies/{first}/restore", new { })).StatusCode);
        // Deleting again what is in the trash: not found.
        Assert.Equal("Not found.", Skipped(await BulkAsync(admin, "companies", new { ids = new[] { second }, action = "delete" }))[second]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_rep_with_level_own_changes_their_records_and_the_others_are_skipped_with_reasons(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await SavedViewTests.MemberWithRoleAsync(factory, admin, new
        {
            name = "Rep",
            permissions = new { contact = new { create = "all", read = "all", update = "own", massUpdate = "own", delete = "own" } },
        });
        var mine = await ContactAsync(rep, new { lastName = "Mine" });
        var theirs = await ContactAsync(admin, new { lastName = "Theirs" });
        var stranger = await factory.SignUpAsync();
        var foreign = await ContactAsync(stranger, new { lastName = "Foreign" });
        var unknown = Guid.NewGuid();

        var result = await BulkAsync(rep, "contacts", new { ids = new[] { mine, theirs, foreign, unknown }, action = "update", field = "jobTitle", value = "Buyer" });
        Assert.Equal(new[] { mine }, Succeeded(result));
        var skipped = Skipped(result);
        Assert.Contains("mass update", skipped[theirs], StringComparison.Ordinal);
        Assert.Equal("Not found.", skipped[foreign]);
        Assert.Equal("Not found.", skipped[unknown]);

        var deleted = await BulkAsync(rep, "contacts", new { ids = new[] { mine, theirs }, action = "delete" });
        Assert.Equal(new[] { mine }, Succeeded(deleted));
        Assert.Contains("delete", Skipped(deleted)[theirs], StringComparison.Ordinal);

        // Giving records to someone else needs the assign right.
        var other = await ContactAsync(rep, new { lastName = "Other" });
        var reassigned = await BulkAsync(rep, "contacts", new { ids = new[] { other }, action = "assignOwner", ownerId = admin.UserId });
        Assert.Contains("assign", Skipped(reassigned)[other], StringComparison.Ordinal);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var theirsNow = await db.Set<Contact>().SingleAsync(c => c.Id == theirs, Ct);
        Assert.Equal(((string?)null, 1, (DateTimeOffset?)null), (theirsNow.JobTitle, theirsNow.Version, theirsNow.DeletedAt));
        var mineNow = await db.Set<Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).SingleAsync(c => c.Id == mine, Ct);
        Assert.Equal("Buyer", mineNow.JobTitle);
        Assert.NotNull(mineNow.DeletedAt);
        Assert.Equal(rep.UserId, (await db.Set<Contact>().SingleAsync(c => c.Id == other, Ct)).OwnerId);
        await using var strangerScope = factory.WorkspaceScope(stranger.WorkspaceId, out var strangerDb);
        Assert.Equal(1, (await strangerDb.Set<Contact>().SingleAsync(c => c.Id == foreign, Ct)).Version);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Field_rights_and_the_mass_update_right_refuse_the_whole_request(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var clerk = await SavedViewTests.MemberWithRoleAsync(factory, admin, new
        {
            name = "Clerk",
            permissions = new { company = new { read = "all", update = "all", massUpdate = "all" } },
            fields = new { company = new { lifecycleStage = "readOnly", industry = "hidden" } },
        });
        var (id, _) = await admin.Client.CreateCompanyAsync(new { name = "Guarded", lifecycleStage = "lead", industry = "Mining" });

        var readOnly = await BulkAsync(clerk, "companies", new { ids = new[] { id }, action = "update", field = "lifecycleStage", value = "customer" }, HttpStatusCode.Forbidden);
        Assert.Contains("lifecycleStage", readOnly["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await BulkAsync(clerk, "companies", new { ids = new[] { id }, action = "update", field = "industry", value = "Banking" }, HttpStatusCode.Forbidden);
        Assert.Equal(new[] { id }, Succeeded(await BulkAsync(clerk, "companies", new { ids = new[] { id }, action = "update", field = "address.city", value = "Lyon" })));
        // Without a delete right at all, bulk delete is refused outright; a sales rep has no mass update right.
        await BulkAsync(clerk, "companies", new { ids = new[] { id }, action = "delete" }, HttpStatusCode.Forbidden);
        var rep = await factory.InviteAsync(admin, "sales-rep");
        await BulkAsync(rep, "companies", new { ids = new[] { id }, action = "addTags", tags = new[] { "x" } }, HttpStatusCode.Forbidden);

        await BulkAsync(admin, "companies", new { ids = new[] { id }, action = "update", field = "name", value = "Renamed" }, HttpStatusCode.BadRequest);
        await BulkAsync(admin, "companies", new { ids = Enumerable.Range(0, BulkRequest.MaxIds + 1).Select(_ => Guid.NewGuid()), action = "delete" }, HttpStatusCode.BadRequest);
        await BulkAsync(admin, "companies", new { ids = new[] { id }, action = "explode" }, HttpStatusCode.BadRequest);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var company = await db.Set<Company>().SingleAsync(c => c.Id == id, Ct);
        Assert.Equal(("lead", "Mining", "Lyon", "Guarded", 2), (company.LifecycleStage, company.Industry, company.City, company.Name, company.Version));
    }
}
