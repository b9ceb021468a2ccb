using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security.Sharing;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Api.DuplicateTests;

namespace Rapport.Tests.Api;

/// <summary>Merging contacts and companies: picked values, moved links and shares, participants, tombstones, audit, and refusals that change nothing.</summary>
public sealed class MergeTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Merging_contacts_keeps_picked_values_unites_lists_moves_shares_and_leaves_a_tombstone(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var (acme, _) = await admin.Client.CreateCompanyAsync(new { name = "Acme" });
        var (globex, _) = await admin.Client.CreateCompanyAsync(new { name = "Globex" });
        var tier = await admin.Client.PostJsonAsync("/api/v1/custom-fields", new { entityType = "contact", key = "tier", type = "text", label = "Tier", unique = true });
        Assert.Equal(HttpStatusCode.Created, tier.StatusCode);
        var survivor = await CreateContactAsync(admin, new
        {
            firstName = "Ada", lastName = "Lovelace", emails = new[] { "ada@acme.example" }, jobTitle = "Engineer", companyId = acme, tags = new[] { "vip" },
        });
        var merged = await CreateContactAsync(admin, new
        {
            firstName = "Augusta Ada", lastName = "King", emails = new[] { "ada@acme.example", "ada@home.example" }, phones = new[] { "+44 20 7946 0018" },
            jobTitle = "Countess", birthday = "1815-12-10", companyId = globex, tags = new[] { "VIP", "history" }, custom = new { tier = "gold" },
        }, allowDuplicate: true);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"/api/v1/contacts/{merged}/shares", new { userId = rep.UserId, access = "read" })).StatusCode);

        var body = new { survivorId = survivor, mergedIds = new[] { merged }, fields = new Dictionary<string, Guid> { ["jobTitle"] = merged, ["lastName"] = merged } };
        var preview = await admin.Client.PostJsonAsync("/api/v1/contacts/merge", new { body.survivorId, body.mergedIds, body.fields, preview = true });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("Countess", (await preview.JsonAsync())["survivor"]!["jobTitle"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/api/v1/contacts/{merged}", Ct)).StatusCode); // a preview changes nothing

        var response = await admin.Client.PostJsonAsync("/api/v1/contacts/merge", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.JsonAsync())["survivor"]!;
        Assert.Equal(("Ada", "King", "Countess", "1815-12-10"), (Text(result, "firstName"), Text(result, "lastName"), Text(result, "jobTitle"), Text(result, "birthday")));
        Assert.Equal(["ada@acme.example", "ada@home.example"], Texts(result["emails"]));
        Assert.Equal(["+442079460018"], Texts(result["phones"]));
        Assert.Equal(["vip", "history"], Texts(result["tags"]));
        Assert.Equal(acme, result["companyId"]!.GetValue<Guid>());
        Assert.Equal([acme, globex], result["companyIds"]!.AsArray().Select(c => c!.GetValue<Guid>()));
        Assert.Equal("gold", result["custom"]!["tier"]!.GetValue<string>()); // a unique value the merged record held moves to the survivor
        Assert.Equal(response.Headers.ETag!.Tag, (await admin.Client.GetAsync($"/api/v1/contacts/{survivor}", Ct)).Headers.ETag!.Tag);

        var gone = await admin.Client.GetAsync($"/api/v1/contacts/{merged}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var problem = await gone.JsonAsync();
        Assert.Equal(("https://rapport.dev/problems/merged", survivor), (Text(problem, "type"), problem["mergedIntoId"]!.GetValue<Guid>()));
        Assert.Empty((await (await admin.Client.GetAsync("/api/v1/contacts?trash=true", Ct)).JsonAsync())["data"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostJsonAsync($"/api/v1/contacts/{merged}/restore", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.GetAsync($"/api/v1/contacts/{survivor}", Ct)).StatusCode); // the share moved
        Assert.Equal(("contact", survivor), RecordingMergeParticipant.Moves[merged]);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync("/api/v1/contacts/merge", new { survivorId = survivor, mergedIds = new[] { merged } })).StatusCode);
        Assert.Empty(await AllPairsAsync(admin, "contact"));

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var audit = await db.Set<AuditEntry>().Where(a => a.EntityId == survivor || a.EntityId == merged).OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(Ct);
        var job = Assert.Single(audit, a => a.Action == AuditActions.Merge);
        Assert.Equal(merged, JsonNode.Parse(job.Changes)!["mergedIds"]!["after"]![0]!.GetValue<Guid>());
        var deleted = Assert.Single(audit, a => a.EntityId == merged && a.Action == AuditActions.Delete);
        Assert.Equal(survivor, JsonNode.Parse(deleted.Changes)!["mergedIntoId"]!["after"]!.GetValue<Guid>());
        var update = audit.Last(a => a.EntityId == survivor && a.Action == AuditActions.Update);
        Assert.Equal("Countess", JsonNode.Parse(update.Changes)!["jobTitle"]!["after"]!.GetValue<string>());
        var share = await db.Set<RecordShare>().SingleAsync(s => s.UserId == rep.UserId, Ct);
        Assert.Equal(survivor, share.RecordId);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Merging_companies_moves_their_contacts_without_duplicate_links_and_their_subsidiaries(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (survivor, etag) = await admin.Client.CreateCompanyAsync(new { name = "Acme", industry = "Tools" });
        var (merged, _) = await admin.Client.CreateCompanyAsync(new { name = "ACME Inc.", domain = "acme.example", tags = new[] { "key-account" } });
        var (subsidiary, _) = await admin.Client.CreateCompanyAsync(new { name = "Acme Shanghai", parentCompanyId = merged });
        var both = await CreateContactAsync(admin, new { lastName = "Both", companyId = merged, companyIds = new[] { survivor } });
        var onlyMerged = await CreateContactAsync(admin, new { lastName = "Only merged", companyIds = new[] { merged } });
        var trashed = await CreateContactAsync(admin, new { lastName = "Trashed", companyId = merged });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/contacts/{trashed}", "*")).StatusCode);

        var stale = await admin.Client.SendAsync(MergeRequest("/api/v1/companies/merge", new { survivorId = survivor, mergedIds = new[] { merged } }, "\"99\""), Ct);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var response = await admin.Client.SendAsync(MergeRequest("/api/v1/companies/merge", new
        {
            survivorId = survivor, mergedIds = new[] { merged }, fields = new Dictionary<string, Guid> { ["name"] = merged },
        }, etag), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.JsonAsync())["survivor"]!;
        Assert.Equal(("ACME Inc.", "acme.example", "Tools"), (Text(result, "name"), Text(result, "domain"), Text(result, "industry")));
        Assert.Equal(["key-account"], Texts(result["tags"]));

        var contactBoth = await (await admin.Client.GetAsync($"/api/v1/contacts/{both}", Ct)).JsonAsync();
        Assert.Equal(survivor, contactBoth["companyId"]!.GetValue<Guid>());
        Assert.Equal([survivor], contactBoth["companyIds"]!.AsArray().Select(c => c!.GetValue<Guid>()));
        var contactOnly = await (await admin.Client.GetAsync($"/api/v1/contacts/{onlyMerged}", Ct)).JsonAsync();
        Assert.Equal([survivor], contactOnly["companyIds"]!.AsArray().Select(c => c!.GetValue<Guid>()));
        Assert.Equal(survivor, (await (await admin.Client.GetAsync($"/api/v1/companies/{subsidiary}", Ct)).JsonAsync())["parentCompanyId"]!.GetValue<Guid>());
        Assert.Equal(("company", survivor), RecordingMergeParticipant.Moves[merged]);
        var gone = await admin.Client.GetAsync($"/api/v1/companies/{merged}", Ct);
        Assert.Equal((HttpStatusCode.NotFound, survivor), (gone.StatusCode, (await gone.JsonAsync())["mergedIntoId"]!.GetValue<Guid>()));

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var inTrash = await db.Set<Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Include(c => c.Companies).SingleAsync(c => c.Id == trashed, Ct);
        Assert.Equal(survivor, inTrash.CompanyId);
        var tombstone = await db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).SingleAsync(c => c.Id == merged, Ct);
        Assert.Equal(survivor, tombstone.MergedIntoId);
        Assert.Single(await db.Set<AuditEntry>().Where(a => a.Action == AuditActions.Merge && a.EntityId == survivor).ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Merges_without_the_rights_or_across_workspaces_are_refused_and_change_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var agent = await factory.InviteAsync(admin, "support-agent");
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var stranger = await factory.SignUpAsync();
        var a = await CreateContactAsync(admin, new { lastName = "Alpha", emails = new[] { "same@example.com" } });
        var b = await CreateContactAsync(admin, new { lastName = "Beta", emails = new[] { "same@example.com" } }, allowDuplicate: true);
        var foreign = await CreateContactAsync(stranger, new { lastName = "Foreign" });
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "A company" });
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        var merge = new { survivorId = a, mergedIds = new[] { b } };
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Client.PostJsonAsync("/api/v1/contacts/merge", merge)).StatusCode); // may read, not merge
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.PostJsonAsync("/api/v1/contacts/merge", merge)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostJsonAsync("/api/v1/contacts/merge", merge)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostJsonAsync("/api/v1/contacts/merge", new { survivorId = a, mergedIds = new[] { foreign } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.PostJsonAsync("/api/v1/companies/merge", new { survivorId = company, mergedIds = new[] { a } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/contacts/merge", new { survivorId = a, mergedIds = new[] { a } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/contacts/merge", new { survivorId = a, mergedIds = Array.Empty<Guid>() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/contacts/merge",
            new { survivorId = a, mergedIds = new[] { b }, fields = new Dictionary<string, Guid> { ["jobTitle"] = foreign } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/contacts/merge",
            new { survivorId = a, mergedIds = new[] { b }, fields = new Dictionary<string, Guid> { ["passwordHash"] = b } })).StatusCode);

        // A role that makes the last name read-only: picking the other record's last name is refused.
        var roles = (await (await admin.Client.GetAsync("/api/v1/roles", Ct)).JsonAsync()).AsArray();
        var managerRole = roles.Single(r => r!["builtIn"]?.GetValue<string>() == "sales-manager")!["id"]!.GetValue<Guid>();
        await admin.Client.PatchJsonAsync($"/api/v1/roles/{managerRole}", new { fields = new { contact = new { lastName = "readOnly" } } }, "*");
        var manager = await factory.InviteAsync(admin, "sales-manager");
        await admin.Client.PatchJsonAsync($"/api/v1/contacts/{a}", new { ownerId = manager.UserId }, "*");
        await admin.Client.PatchJsonAsync($"/api/v1/contacts/{b}", new { ownerId = manager.UserId }, "*");
        before = await SnapshotAsync(factory, admin.WorkspaceId);
        var picked = await manager.Client.PostJsonAsync("/api/v1/contacts/merge", new { survivorId = a, mergedIds = new[] { b }, fields = new Dictionary<string, Guid> { ["lastName"] = b } });
        Assert.Equal(HttpStatusCode.Forbidden, picked.StatusCode);
        Assert.Contains("lastName", Text(await picked.JsonAsync(), "detail"));
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
        Assert.False(RecordingMergeParticipant.Moves.ContainsKey(b));
    }

    private static HttpRequestMessage MergeRequest(string url, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static async Task<string> SnapshotAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        var contacts = await db.Set<Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.LastName, c.Version, c.DeletedAt, c.MergedIntoId }).ToListAsync(Ct);
        var audit = await db.Set<AuditEntry>().CountAsync(Ct);
        return System.Text.Json.JsonSerializer.Serialize(new { contacts, audit });
    }

    private static string Text(JsonNode node, string field) => node[field]!.GetValue<string>();

    private static List<string> Texts(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];
}
