using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Bulk;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>
/// Batch create and change: every item through the single endpoint's rules, one result per item in order, a failed
/// item writes nothing and undoes nothing else. A caller whose roles allow neither creating nor changing the type
/// is refused the whole call with 403.
/// </summary>
public sealed class BatchTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonNode> BatchAsync(Tenant who, string entity, object body, HttpStatusCode expected = HttpStatusCode.OK, string? key = null)
    {
        var response = await who.Client.PostJsonAsync($"/api/v1/{entity}/batch", body, key);
        Assert.Equal(expected, response.StatusCode);
        return await response.JsonAsync();
    }

    private static JsonNode Result(JsonNode batch, int index)
    {
        var result = batch["results"]![index]!;
        Assert.Equal(index, result["index"]!.GetValue<int>());
        return result;
    }

    private static string Status(JsonNode batch, int index) => Result(batch, index)["status"]!.GetValue<string>();

    private static string? Problem(JsonNode batch, int index) => Result(batch, index)["problem"]?.GetValue<string>();

    private static Guid Id(JsonNode batch, int index) => Guid.Parse(Result(batch, index)["id"]!.GetValue<string>());

    private static (int Created, int Updated, int Failed) Counts(JsonNode batch) =>
        (batch["created"]!.GetValue<int>(), batch["updated"]!.GetValue<int>(), batch["failed"]!.GetValue<int>());

    private static async Task<JsonNode> ContactAsync(Tenant who, object body)
    {
        var response = await who.Client.PostJsonAsync("/api/v1/contacts", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Valid_items_are_created_with_audit_and_search_and_invalid_ones_fail_alone_with_their_errors(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();

        var batch = await BatchAsync(admin, "contacts", new
        {
            items = new object[]
            {
                new { firstName = "Ada", lastName = "Batchelor", emails = new[] { "ada@batch.example" } },
                new { lastName = "Broken", emails = new[] { "not-an-email" }, lifecycleStage = "martian" },
                new { lastName = "Phoney", phones = new[] { "12" } },
                new { lastName = "Unknown", shoeSize = 44 },
                "not an object",
                new { firstName = "小明", lastName = "王", tags = new[] { "batch" } },
            },
        });

        Assert.Equal((2, 0, 4), Counts(batch));
        Assert.Equal(["created", "failed", "failed", "failed", "failed", "created"], batch["results"]!.AsArray().Select(r => r!["status"]!.GetValue<string>()));
        var broken = Result(batch, 1);
        Assert.Equal("invalid", broken["problem"]!.GetValue<string>());
        Assert.NotNull(broken["errors"]!["emails[0]"]);
        Assert.NotNull(broken["errors"]!["lifecycleStage"]);
        Assert.Null(broken["id"]);
        Assert.NotNull(Result(batch, 2)["errors"]!["phones[0]"]);
        Assert.NotNull(Result(batch, 3)["errors"]!["shoeSize"]);
        Assert.NotNull(Result(batch, 4)["errors"]!["body"]);
        Assert.Null(Result(batch, 0)["errors"]);
        Assert.Equal(1, Result(batch, 0)["version"]!.GetValue<int>());

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var contacts = await db.Set<Contact>().OrderBy(c => c.LastName).Select(c => new { c.Id, c.LastName, c.Version }).ToListAsync(Ct);
        Assert.Equal([("Batchelor", Id(batch, 0)), ("王", Id(batch, 5))], contacts.Select(c => (c.LastName!, c.Id)));
        var audited = await db.Set<AuditEntry>().Where(a => a.EntityType == Contact.TypeName && a.Action == AuditActions.Create).Select(a => a.EntityId).ToListAsync(Ct);
        Assert.Equal(contacts.Select(c => c.Id).Order(), audited.Order());

        var found = await (await admin.Client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString("小明")}", Ct)).JsonAsync();
        Assert.Contains(Id(batch, 5).ToString(), found.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Creates_and_merge_patch_updates_run_in_one_batch_and_a_stale_version_fails_that_item_only(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var first = await ContactAsync(admin, new { lastName = "First", jobTitle = "Clerk", tags = new[] { "keep" } });
        var second = await ContactAsync(admin, new { lastName = "Second" });
        var firstId = first["id"]!.GetValue<string>();
        var secondId = second["id"]!.GetValue<string>();

        var batch = await BatchAsync(admin, "contacts", new
        {
            items = new object[]
            {
                new { id = firstId, version = 1, jobTitle = "Manager" },
                new { lastName = "Third" },
                new { id = secondId, version = 7, jobTitle = "Stale" },
                new { id = firstId, version = 1, jobTitle = "Too late" },
                new { id = Guid.NewGuid(), jobTitle = "Nobody" },
                new { id = "not-a-guid", jobTitle = "Nobody" },
                new { version = 1, lastName = "Version without id" },
                new { id = firstId, version = 2, tags = new[] { "keep", "more" } },
            },
        });

        Assert.Equal((1, 2, 5), Counts(batch));
        Assert.Equal(("updated", 2), (Status(batch, 0), Result(batch, 0)["version"]!.GetValue<int>()));
        Assert.Equal("created", Status(batch, 1));
        Assert.Equal("conflict", Problem(batch, 2));
        Assert.Contains("changed since", Result(batch, 2)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("conflict", Problem(batch, 3)); // item 0 made it version 2: later items see the record as items before them left it
        Assert.Equal("notFound", Problem(batch, 4));
        Assert.NotNull(Result(batch, 5)["errors"]!["id"]);
        Assert.NotNull(Result(batch, 6)["errors"]!["version"]);
        Assert.Equal(("updated", 3), (Status(batch, 7), Result(batch, 7)["version"]!.GetValue<int>()));

        var updated = await (await admin.Client.GetAsync($"/api/v1/contacts/{firstId}", Ct)).JsonAsync();
        Assert.Equal(("Manager", "First", "more"), (updated["jobTitle"]!.GetValue<string>(), updated["lastName"]!.GetValue<string>(), updated["tags"]![1]!.GetValue<string>()));
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var untouched = await db.Set<Contact>().SingleAsync(c => c.Id == Guid.Parse(secondId), Ct);
        Assert.Equal((1, null), (untouched.Version, untouched.JobTitle));
        var changes = await db.Set<AuditEntry>().Where(a => a.Action == AuditActions.Update).ToListAsync(Ct);
        Assert.Equal([Guid.Parse(firstId), Guid.Parse(firstId)], changes.Select(a => a.EntityId));
        Assert.Single(changes, a => a.Changes.Contains("Manager", StringComparison.Ordinal));
        Assert.Single(changes, a => a.Changes.Contains("more", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Duplicates_of_saved_contacts_and_of_earlier_items_fail_unless_allowed_across_chunks_too(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var original = await ContactAsync(admin, new { lastName = "Original", emails = new[] { "taken@example.com" } });

        // More items than one chunk holds, so an item repeats one saved by an earlier chunk of the same batch.
        var items = Enumerable.Range(0, BatchWrites.ChunkSize + 50).Select(i => (object)new { lastName = $"Many {i}", emails = new[] { $"many{i}@example.com" } }).ToList();
        items[3] = new { lastName = "Copy", emails = new[] { "TAKEN@example.com" } };
        items[5] = new { lastName = "Repeat", phones = new[] { "+1 415 555 2671" } };
        items[6] = new { lastName = "Repeat again", phones = new[] { "(415) 555-2671" } };
        items[BatchWrites.ChunkSize + 10] = new { lastName = "Late repeat", emails = new[] { "many1@example.com" } };
        var batch = await BatchAsync(admin, "contacts", new { items });

        Assert.Equal((items.Count - 3, 0, 3), Counts(batch));
        Assert.Equal("conflict", Problem(batch, 3));
        Assert.Equal(original["id"]!.GetValue<string>(), Result(batch, 3)["duplicates"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(("conflict", 5), (Problem(batch, 6), Result(batch, 6)["duplicateOfItem"]!.GetValue<int>()));
        Assert.Equal("conflict", Problem(batch, BatchWrites.ChunkSize + 10));

        var allowed = await BatchAsync(admin, "contacts", new
        {
            items = new object[] { new { lastName = "Copy", emails = new[] { "taken@example.com" } }, new { lastName = "Copy 2", emails = new[] { "taken@example.com" } } },
            allowDuplicates = true,
        });
        Assert.Equal((2, 0, 0), Counts(allowed));
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(1 + (items.Count - 3) + 2, await db.Set<Contact>().CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Companies_refuse_a_taken_domain_and_a_chunk_the_database_refuses_is_saved_item_by_item(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (acme, _) = await admin.Client.CreateCompanyAsync(new { name = "Acme", domain = "acme.example" });
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields",
            new { entityType = "company", key = "vat", type = "text", label = "VAT number", unique = true })).StatusCode);

        var key = Guid.NewGuid().ToString();
        var batch = await BatchAsync(admin, "companies", key: key, body: new
        {
            items = new object[]
            {
                new { name = "Acme again", domain = "ACME.example." },
                new { name = "Beta", domain = "beta.example", custom = new { vat = "DE1" } },
                new { name = "Beta twin", domain = "beta.example" },
                // Both pass the checks (neither value is saved yet); the database refuses the second, and only it.
                new { name = "Gamma", custom = new { vat = "DE2" } },
                new { name = "Delta", custom = new { vat = "DE2" } },
                new { id = acme, version = 1, industry = "Rockets", custom = new { vat = "DE3" } },
                new { name = "" },
            },
        });

        Assert.Equal((2, 1, 4), Counts(batch));
        Assert.NotNull(Result(batch, 0)["errors"]!["domain"]);
        Assert.Equal("created", Status(batch, 1));
        Assert.Contains("Item 1", Result(batch, 2)["errors"]!["domain"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(("created", "failed"), (Status(batch, 3), Status(batch, 4)));
        Assert.NotNull(Result(batch, 4)["errors"]!["custom.vat"]);
        Assert.Equal(("updated", 2), (Status(batch, 5), Result(batch, 5)["version"]!.GetValue<int>()));
        Assert.NotNull(Result(batch, 6)["errors"]!["name"]);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(["Acme", "Beta", "Gamma"], await db.Set<Company>().OrderBy(c => c.Name).Select(c => c.Name).ToListAsync(Ct));
        Assert.Equal("Rockets", (await db.Set<Company>().SingleAsync(c => c.Id == acme, Ct)).Industry);
        Assert.Equal(3, await db.Set<AuditEntry>().CountAsync(a => a.EntityType == Company.TypeName && a.Action == AuditActions.Create, Ct));
        Assert.Equal(1, await db.Set<AuditEntry>().CountAsync(a => a.EntityType == Company.TypeName && a.Action == AuditActions.Update, Ct));
        // The rolled-back chunk had marked the Idempotency-Key committed; the first save that held is what marks it.
        Assert.True(await db.IdempotencyRecords.Where(r => r.Key == key).Select(r => r.Committed).SingleAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_empty_batch_or_one_of_more_than_1000_items_is_refused_naming_items(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        var tooMany = Enumerable.Range(0, 1001).Select(i => new { lastName = $"Over {i}" }).ToArray();

        Assert.NotNull((await BatchAsync(admin, "contacts", new { items = tooMany }, HttpStatusCode.BadRequest))["errors"]!["items"]);
        Assert.NotNull((await BatchAsync(admin, "companies", new { items = Array.Empty<object>() }, HttpStatusCode.BadRequest))["errors"]!["items"]);
        Assert.NotNull((await BatchAsync(admin, "contacts", new { }, HttpStatusCode.BadRequest))["errors"]!["items"]);
        Assert.NotNull((await BatchAsync(admin, "contacts", new { items = new[] { new { lastName = "X" } }, extra = 1 }, HttpStatusCode.BadRequest))["errors"]!["extra"]);
        var list = await (await admin.Client.GetAsync("/api/v1/contacts", Ct)).JsonAsync();
        Assert.Empty(list["data"]!.AsArray());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_reader_is_refused_the_whole_batch_and_nothing_changes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var reader = await factory.InviteAsync(admin, "read-only");
        var existing = (await ContactAsync(admin, new { lastName = "Read me" }))["id"]!.GetValue<string>();

        await BatchAsync(reader, "contacts", new { items = new object[] { new { lastName = "Sneaky" }, new { id = existing, lastName = "Renamed" } } }, HttpStatusCode.Forbidden);
        await BatchAsync(reader, "companies", new { items = new object[] { new { name = "Sneaky Co" } } }, HttpStatusCode.Forbidden);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(["Read me"], await db.Set<Contact>().Select(c => c.LastName).ToListAsync(Ct));
        Assert.Equal(0, await db.Set<Company>().CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Another_workspace_cannot_change_our_records_through_a_batch(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var contact = (await ContactAsync(admin, new { lastName = "Ours" }))["id"]!.GetValue<string>();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Ours Inc" });
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var audited = await db.Set<AuditEntry>().CountAsync(Ct);

        var contacts = await BatchAsync(stranger, "contacts", new { items = new object[] { new { id = contact, lastName = "Theirs" }, new { lastName = "Their own" } } });
        var companies = await BatchAsync(stranger, "companies", new { items = new object[] { new { id = company, version = 1, name = "Theirs Inc" } } });

        Assert.Equal(("notFound", "created"), (Problem(contacts, 0), Status(contacts, 1)));
        Assert.Equal("notFound", Problem(companies, 0));
        Assert.Equal([("Ours", 1)], (await db.Set<Contact>().ToListAsync(Ct)).Select(c => (c.LastName!, c.Version)));
        Assert.Equal([("Ours Inc", 1)], (await db.Set<Company>().ToListAsync(Ct)).Select(c => (c.Name, c.Version)));
        Assert.Equal(audited, await db.Set<AuditEntry>().CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_item_writing_a_field_the_role_freezes_fails_and_the_others_are_saved(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var clerk = await SavedViewTests.MemberWithRoleAsync(factory, admin, new
        {
            name = "Batch clerk",
            permissions = new { contact = new { create = "all", read = "all", update = "all" } },
            fields = new { contact = new { jobTitle = "readOnly" } },
        });
        var existing = (await ContactAsync(admin, new { lastName = "Titled", jobTitle = "Chief" }))["id"]!.GetValue<string>();

        var batch = await BatchAsync(clerk, "contacts", new
        {
            items = new object[]
            {
                new { lastName = "Promoted", jobTitle = "Boss" },
                new { id = existing, jobTitle = "Intern" },
                new { lastName = "Plain" },
                new { id = existing, lastName = "Renamed" },
            },
        });

        Assert.Equal((1, 1, 2), Counts(batch));
        Assert.Equal(("forbidden", "forbidden"), (Problem(batch, 0), Problem(batch, 1)));
        Assert.Contains("jobTitle", Result(batch, 0)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal([("Plain", null), ("Renamed", "Chief")],
            (await db.Set<Contact>().OrderBy(c => c.LastName).ToListAsync(Ct)).Select(c => (c.LastName!, c.JobTitle)));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_retried_batch_with_the_same_Idempotency_Key_replays_the_answer_and_creates_nothing_twice(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { items = new object[] { new { lastName = "Once" }, new { name = "Wrong field" } }, allowDuplicates = true };

        var first = await BatchAsync(admin, "contacts", body, key: key);
        var retry = await admin.Client.PostJsonAsync("/api/v1/contacts/batch", body, key);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.ToJsonString(), (await retry.JsonAsync()).ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.Client.PostJsonAsync("/api/v1/contacts/batch", new { items = new[] { new { lastName = "Other" } } }, key)).StatusCode);
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(1, await db.Set<Contact>().CountAsync(Ct));
        Assert.True(await db.IdempotencyRecords.Where(r => r.Key == key).Select(r => r.Committed && r.Completed).SingleAsync(Ct));
    }
}
