using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Custom fields: every type round trip, rules, filter and sort in the database on both providers, type changes, rights.</summary>
public sealed class CustomFieldTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonNode> DefineAsync(Tenant admin, object spec)
    {
        var response = await admin.Client.PostJsonAsync("/api/v1/custom-fields", spec);
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return body;
    }

    private static async Task<JsonNode> ListAsync(Tenant who, string entity, string? filter = null, string? sort = null, string? cursor = null, int limit = 50)
    {
        var url = $"/api/v1/{entity}?limit={limit}" + (filter is null ? "" : $"&filter={Uri.EscapeDataString(filter)}")
                  + (sort is null ? "" : $"&sort={Uri.EscapeDataString(sort)}") + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        var response = await who.Client.GetAsync(url, Ct);
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static List<string> Names(JsonNode page) => [.. page["data"]!.AsArray().Select(c => c!["lastName"]!.GetValue<string>())];

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_type_round_trips_in_its_normal_form_and_bad_values_are_refused_by_field(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Linked" });
        var options = new[] { new { key = "gold", label = "Gold", labelZh = "金" }, new { key = "silver", label = "Silver", labelZh = "银" } };
        await DefineAsync(admin, new { entityType = "contact", key = "note", type = "text", label = "Note" });
        await DefineAsync(admin, new { entityType = "contact", key = "bio", type = "longText", label = "Bio" });
        await DefineAsync(admin, new { entityType = "contact", key = "score", type = "number", label = "Score" });
        await DefineAsync(admin, new { entityType = "contact", key = "budget", type = "currency", label = "Budget", currency = "cny" });
        await DefineAsync(admin, new { entityType = "contact", key = "discount", type = "percent", label = "Discount" });
        await DefineAsync(admin, new { entityType = "contact", key = "renewal", type = "date", label = "Renewal" });
        await DefineAsync(admin, new { entityType = "contact", key = "lastSeen", type = "dateTime", label = "Last seen" });
        await DefineAsync(admin, new { entityType = "contact", key = "vip", type = "yesNo", label = "VIP" });
        await DefineAsync(admin, new { entityType = "contact", key = "tier", type = "singleSelect", label = "Tier", options });
        await DefineAsync(admin, new { entityType = "contact", key = "interests", type = "multiSelect", label = "Interests", options });
        await DefineAsync(admin, new { entityType = "contact", key = "homepage", type = "url", label = "Homepage" });
        await DefineAsync(admin, new { entityType = "contact", key = "assistantEmail", type = "email", label = "Assistant email" });
        await DefineAsync(admin, new { entityType = "contact", key = "assistantPhone", type = "phone", label = "Assistant phone" });
        await DefineAsync(admin, new { entityType = "contact", key = "referrer", type = "link", label = "Referrer", linkEntityType = "company" });

        var created = await admin.Client.PostJsonAsync("/api/v1/contacts", new
        {
            lastName = "Typed",
            custom = new Dictionary<string, object>
            {
                ["note"] = "  hello  ", ["bio"] = "line one\nline two", ["score"] = 42.5, ["budget"] = "1234.5678", ["discount"] = 12.5,
                ["renewal"] = "2027-03-31", ["lastSeen"] = "2026-11-25T10:30:00+08:00", ["vip"] = true, ["tier"] = "gold",
                ["interests"] = new[] { "silver", "gold", "gold" }, ["homepage"] = "https://example.com/me", ["assistantEmail"] = "Pat@Example.COM",
                ["assistantPhone"] = "(415) 555-2671", ["referrer"] = company.ToString(),
            },
        });
        var body = await created.JsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        var custom = body["custom"]!;
        Assert.Equal("hello", custom["note"]!.GetValue<string>());
        Assert.Equal(42.5m, custom["score"]!.GetValue<decimal>());
        Assert.Equal(1234.5678m, custom["budget"]!.GetValue<decimal>());
        Assert.Equal("2027-03-31", custom["renewal"]!.GetValue<string>());
        Assert.Equal("2026-11-25T02:30:00.0000000Z", custom["lastSeen"]!.GetValue<string>());
        Assert.True(custom["vip"]!.GetValue<bool>());
        Assert.Equal(["gold", "silver"], custom["interests"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("pat@example.com", custom["assistantEmail"]!.GetValue<string>());
        Assert.Equal("+14155552671", custom["assistantPhone"]!.GetValue<string>());
        Assert.Equal(company.ToString(), custom["referrer"]!.GetValue<string>());
        var read = await (await admin.Client.GetAsync($"/api/v1/contacts/{body["id"]}", Ct)).JsonAsync();
        Assert.True(JsonNode.DeepEquals(custom, read["custom"]));

        var stranger = await factory.SignUpAsync();
        var (foreign, _) = await stranger.Client.CreateCompanyAsync(new { name = "Not yours" });
        var bad = await admin.Client.PostJsonAsync("/api/v1/contacts", new
        {
            lastName = "Bad",
            custom = new Dictionary<string, object>
            {
                ["score"] = "many", ["renewal"] = "31/03/2027", ["vip"] = "yes", ["tier"] = "bronze", ["interests"] = new[] { "gold", "tin" },
                ["homepage"] = "javascript:alert(1)", ["assistantEmail"] = "nope", ["assistantPhone"] = "12", ["referrer"] = foreign.ToString(),
                ["budget"] = 1.23456, ["unknown"] = 1,
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync())["errors"]!.AsObject();
        foreach (var key in new[] { "score", "renewal", "vip", "tier", "interests", "homepage", "assistantEmail", "assistantPhone", "budget", "unknown" })
        {
            Assert.True(errors.ContainsKey("custom." + key), $"custom.{key} missing in {errors.ToJsonString()}");
        }

        Assert.Single((await ListAsync(admin, "contacts"))["data"]!.AsArray());
        var linkOnly = await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Bad", custom = new { referrer = foreign } });
        Assert.NotNull((await linkOnly.JsonAsync())["errors"]!["custom.referrer"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Required_default_and_unique_rules_hold_and_patch_clears_with_null(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        await DefineAsync(admin, new { entityType = "company", key = "region", type = "singleSelect", label = "Region", required = true, defaultValue = "apac",
            options = new[] { new { key = "apac", label = "APAC" }, new { key = "emea", label = "EMEA" } } });
        await DefineAsync(admin, new { entityType = "company", key = "vatId", type = "text", label = "VAT id", unique = true });
        await DefineAsync(admin, new { entityType = "company", key = "memo", type = "text", label = "Memo" });

        var (first, etag) = await admin.Client.CreateCompanyAsync(new { name = "First", custom = new { vatId = "DE123", memo = "x" } });
        var firstBody = await (await admin.Client.GetAsync($"/api/v1/companies/{first}", Ct)).JsonAsync();
        Assert.Equal("apac", firstBody["custom"]!["region"]!.GetValue<string>());

        var clash = await admin.Client.PostJsonAsync("/api/v1/companies", new { name = "Second", custom = new { vatId = "DE123" } });
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        Assert.NotNull((await clash.JsonAsync())["errors"]!["custom.vatId"]);
        var cleared = await admin.Client.PatchJsonAsync($"/api/v1/companies/{first}", new { custom = new { region = (string?)null } }, etag);
        Assert.Equal(HttpStatusCode.BadRequest, cleared.StatusCode);
        Assert.NotNull((await cleared.JsonAsync())["errors"]!["custom.region"]);

        var patched = await admin.Client.PatchJsonAsync($"/api/v1/companies/{first}", new { custom = new { memo = (string?)null, region = "emea" } }, etag);
        var patchedBody = await patched.JsonAsync();
        Assert.True(patched.StatusCode == HttpStatusCode.OK, patchedBody.ToJsonString());
        Assert.False(patchedBody["custom"]!.AsObject().ContainsKey("memo"));
        Assert.Equal("DE123", patchedBody["custom"]!["vatId"]!.GetValue<string>());

        // In the trash a value is free again; another workspace may use it whatever happens here.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/companies/{first}", patched.Headers.ETag!.Tag)).StatusCode);
        var (_, _) = await admin.Client.CreateCompanyAsync(new { name = "Second", custom = new { vatId = "DE123" } });
        var stranger = await factory.SignUpAsync();
        await DefineAsync(stranger, new { entityType = "company", key = "vatId", type = "number", label = "VAT number", unique = true, sortable = true });
        var (_, _) = await stranger.Client.CreateCompanyAsync(new { name = "Elsewhere", custom = new { vatId = 123 } });

        // The database holds the rule too, through a partial unique index of this workspace.
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var indexes = await IndexNamesAsync(db, "customers_companies");
        Assert.Contains(indexes, i => i.StartsWith("ux_cf_customers_companies_", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.StartsWith("ix_cf_customers_companies_", StringComparison.Ordinal));
        var audit = await db.Set<AuditEntry>().Where(a => a.EntityId == first && a.Action == "update").Select(a => a.Changes).ToListAsync(Ct);
        Assert.Contains(audit, c => c.Contains("custom.region", StringComparison.Ordinal) && c.Contains("custom.memo", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Lists_filter_and_sort_on_custom_fields_in_the_database_with_nulls_last_and_keyset_paging(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var options = new[] { new { key = "gold", label = "Gold" }, new { key = "silver", label = "Silver" }, new { key = "bronze", label = "Bronze" } };
        await DefineAsync(admin, new { entityType = "contact", key = "score", type = "number", label = "Score", sortable = true });
        await DefineAsync(admin, new { entityType = "contact", key = "renewal", type = "date", label = "Renewal", sortable = true });
        await DefineAsync(admin, new { entityType = "contact", key = "vip", type = "yesNo", label = "VIP" });
        await DefineAsync(admin, new { entityType = "contact", key = "tier", type = "singleSelect", label = "Tier", options });
        await DefineAsync(admin, new { entityType = "contact", key = "interests", type = "multiSelect", label = "Interests", options });
        await DefineAsync(admin, new { entityType = "contact", key = "note", type = "text", label = "Note", sortable = true });
        var rows = new (string Name, double? Score, string? Renewal, bool? Vip, string? Tier, string[] Interests, string? Note)[]
        {
            ("A", 10, "2027-01-01", true, "gold", ["gold", "silver"], "Blue whale"),
            ("B", 2, "2026-06-30", false, "silver", ["bronze"], "red fox"),
            ("C", null, null, null, null, [], null),
            ("D", 7.5, "2028-12-31", true, "gold", ["silver"], "Bluebird"),
            ("E", 100, null, false, "bronze", [], "green"),
        };
        foreach (var row in rows)
        {
            var custom = new Dictionary<string, object?> { ["score"] = row.Score, ["renewal"] = row.Renewal, ["vip"] = row.Vip, ["tier"] = row.Tier, ["interests"] = row.Interests, ["note"] = row.Note };
            Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = row.Name, custom })).StatusCode);
        }

        Assert.Equal(["A", "E"], Names(await ListAsync(admin, "contacts", """{"field":"custom.score","op":"gte","value":10}""", "lastName")));
        Assert.Equal(["A", "D"], Names(await ListAsync(admin, "contacts", """{"field":"custom.vip","op":"eq","value":true}""", "lastName")));
        Assert.Equal(["B", "D", "A"], Names(await ListAsync(admin, "contacts", """{"field":"custom.tier","op":"in","value":["gold","silver"]}""", "custom.score")));
        Assert.Equal(["B", "D"], Names(await ListAsync(admin, "contacts", """{"field":"custom.renewal","op":"between","value":["2026-01-01","2026-12-31"]}""", "lastName"))
            .Concat(Names(await ListAsync(admin, "contacts", """{"field":"custom.renewal","op":"gt","value":"2028-01-01"}""", "lastName"))).ToList());
        Assert.Equal(["A", "D"], Names(await ListAsync(admin, "contacts", """{"field":"custom.interests","op":"eq","value":"silver"}""", "lastName")));
        Assert.Equal(["A", "B", "D"], Names(await ListAsync(admin, "contacts", """{"field":"custom.interests","op":"in","value":["bronze","silver"]}""", "lastName")));
        Assert.Equal(["C", "E"], Names(await ListAsync(admin, "contacts", """{"field":"custom.interests","op":"isNull"}""", "lastName")));
        Assert.Equal(["A", "D"], Names(await ListAsync(admin, "contacts", """{"field":"custom.note","op":"contains","value":"blue"}""", "lastName")));
        Assert.Equal(["C"], Names(await ListAsync(admin, "contacts", """{"field":"custom.tier","op":"isNull"}""", "lastName")));

        // Sort by a custom number both ways: nulls last either way; keyset pages of two give the same order.
        Assert.Equal(["B", "D", "A", "E", "C"], Names(await ListAsync(admin, "contacts", sort: "custom.score")));
        Assert.Equal(["E", "A", "D", "B", "C"], Names(await ListAsync(admin, "contacts", sort: "-custom.score")));
        Assert.Equal(["B", "A", "D", "C", "E"], Names(await ListAsync(admin, "contacts", sort: "custom.renewal,lastName")));
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ListAsync(admin, "contacts", sort: "-custom.score", cursor: cursor, limit: 2);
            paged.AddRange(Names(page));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(["E", "A", "D", "B", "C"], paged);
        paged.Clear();
        do
        {
            var page = await ListAsync(admin, "contacts", sort: "custom.renewal", cursor: cursor, limit: 2);
            paged.AddRange(Names(page));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(5, paged.Distinct().Count());
        Assert.Equal(["B", "A", "D"], paged.Take(3));

        var unknown = await admin.Client.GetAsync($"/api/v1/contacts?filter={Uri.EscapeDataString("""{"field":"custom.nope","op":"eq","value":1}""")}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync("/api/v1/contacts?sort=custom.interests", Ct)).StatusCode);
        var wrongType = await admin.Client.GetAsync($"/api/v1/contacts?filter={Uri.EscapeDataString("""{"field":"custom.score","op":"gt","value":"ten"}""")}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Type_changes_convert_values_or_are_refused_when_values_would_not_fit(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var tier = await DefineAsync(admin, new { entityType = "contact", key = "tier", type = "singleSelect", label = "Tier",
            options = new[] { new { key = "gold", label = "Gold" }, new { key = "silver", label = "Silver" } } });
        var code = await DefineAsync(admin, new { entityType = "contact", key = "code", type = "text", label = "Code" });
        await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "One", custom = new { tier = "gold", code = "12" } });
        await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Two", custom = new { tier = "silver", code = "ABC" } });

        var codeUrl = $"/api/v1/custom-fields/{code["id"]}";
        var toNumber = await admin.Client.PatchJsonAsync(codeUrl, new { type = "number" }, "*");
        Assert.Equal(HttpStatusCode.BadRequest, toNumber.StatusCode);
        Assert.Contains("1 contact", (await toNumber.JsonAsync())["errors"]!["type"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var tierUrl = $"/api/v1/custom-fields/{tier["id"]}";
        var dropOption = await admin.Client.PatchJsonAsync(tierUrl, new { options = new[] { new { key = "gold", label = "Gold" } } }, "*");
        Assert.Equal(HttpStatusCode.BadRequest, dropOption.StatusCode);
        var rename = await admin.Client.PatchJsonAsync(tierUrl, new { key = "level" }, "*");
        Assert.NotNull((await rename.JsonAsync())["errors"]!["key"]);

        var toMulti = await admin.Client.PatchJsonAsync(tierUrl, new { type = "multiSelect", labelZh = "等级" }, "*");
        Assert.Equal(HttpStatusCode.OK, toMulti.StatusCode);
        var list = await ListAsync(admin, "contacts", sort: "lastName");
        Assert.Equal(["gold"], list["data"]![0]!["custom"]!["tier"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(2, list["data"]![0]!["version"]!.GetValue<int>());
        Assert.Equal(["One"], Names(await ListAsync(admin, "contacts", """{"field":"custom.tier","op":"eq","value":"gold"}""")));

        var stale = await admin.Client.PatchJsonAsync(tierUrl, new { label = "Level" }, "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync(tierUrl, "*")).StatusCode);
        var after = await ListAsync(admin, "contacts", sort: "lastName");
        Assert.False(after["data"]![0]!["custom"]!.AsObject().ContainsKey("tier"));
        var reuse = await admin.Client.PostJsonAsync("/api/v1/custom-fields", new { entityType = "contact", key = "tier", type = "text", label = "Tier" });
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Only_admins_manage_definitions_and_field_rules_hide_or_freeze_custom_values(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var salary = await DefineAsync(admin, new { entityType = "contact", key = "salary", type = "currency", label = "Salary", currency = "USD" });
        await DefineAsync(admin, new { entityType = "contact", key = "grade", type = "text", label = "Grade" });
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var stranger = await factory.SignUpAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.PostJsonAsync("/api/v1/custom-fields", new { entityType = "contact", key = "x", type = "text", label = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Client.PatchJsonAsync($"/api/v1/custom-fields/{salary["id"]}", new { label = "Pay" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PatchJsonAsync($"/api/v1/custom-fields/{salary["id"]}", new { label = "Pay" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync($"/api/v1/custom-fields/{salary["id"]}", "*")).StatusCode);
        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/custom-fields", Ct)).JsonAsync()).AsArray());
        Assert.Equal(2, (await (await manager.Client.GetAsync("/api/v1/custom-fields?entity=contact", Ct)).JsonAsync()).AsArray().Count);
        Assert.Equal("Salary", (await (await admin.Client.GetAsync("/api/v1/custom-fields", Ct)).JsonAsync())[0]!["label"]!.GetValue<string>());

        var role = await admin.Client.PostJsonAsync("/api/v1/roles", new
        {
            name = "Clerk",
            permissions = new { contact = new { create = "all", read = "all", update = "all" } },
            fields = new { contact = new Dictionary<string, string> { ["custom.salary"] = "hidden", ["custom.grade"] = "readOnly" } },
        });
        Assert.Equal(HttpStatusCode.Created, role.StatusCode);
        var clerk = await factory.InviteAsync(admin);
        var assign = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{clerk.UserId}/roles")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { roleIds = new[] { Guid.Parse((await role.JsonAsync())["id"]!.GetValue<string>()) } }),
        };
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.SendAsync(assign, Ct)).StatusCode);

        var created = await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Paid", custom = new { salary = 90000, grade = "B" } });
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var seen = await (await clerk.Client.GetAsync($"/api/v1/contacts/{id}", Ct)).JsonAsync();
        Assert.False(seen["custom"]!.AsObject().ContainsKey("salary"));
        Assert.Equal("B", seen["custom"]!["grade"]!.GetValue<string>());
        Assert.All((await ListAsync(clerk, "contacts"))["data"]!.AsArray(), c => Assert.False(c!["custom"]!.AsObject().ContainsKey("salary")));
        var probe = await clerk.Client.GetAsync($"/api/v1/contacts?filter={Uri.EscapeDataString("""{"field":"custom.salary","op":"gt","value":1}""")}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, probe.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Client.PatchJsonAsync($"/api/v1/contacts/{id}", new { custom = new { grade = "A" } }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Sneaky", custom = new { salary = 1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clerk.Client.PatchJsonAsync($"/api/v1/contacts/{id}", new { jobTitle = "Analyst" }, "*")).StatusCode);
        var adminView = await (await admin.Client.GetAsync($"/api/v1/contacts/{id}", Ct)).JsonAsync();
        Assert.Equal(90000m, adminView["custom"]!["salary"]!.GetValue<decimal>());
        Assert.Equal("B", adminView["custom"]!["grade"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sortable_field_is_served_by_its_expression_index_on_SQLite()
    {
        var factory = hosts.For("sqlite");
        var admin = await factory.SignUpAsync();
        await DefineAsync(admin, new { entityType = "contact", key = "score", type = "number", label = "Score", sortable = true });
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        const string path = "$.score"; // a constant in the SQL, as the list endpoints send it
        var sql = db.Set<Rapport.Modules.Customers.Contacts.Contact>()
            .OrderBy(c => Rapport.Kernel.CustomFields.CustomFieldSql.Number(c.CustomFields, path) == null)
            .ThenBy(c => Rapport.Kernel.CustomFields.CustomFieldSql.Number(c.CustomFields, path)).ThenBy(c => c.Id).Take(10).ToQueryString();
        await using var connection = await QueryPlans.OpenAsync(db, Ct);
        await using var command = connection.CreateCommand();
        var lines = sql.Split('\n');
        command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        foreach (var parts in lines.Where(l => l.StartsWith(".param", StringComparison.Ordinal)).Select(l => l.Split(' ')))
        {
            command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter(parts[2], parts[3].Trim('\'')));
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Contains(plan, p => p.Contains("ix_cf_customers_contacts_", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, p => p.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_PostgreSQL_a_field_gets_statistics_on_its_expression_so_filters_on_it_are_estimated_and_they_go_with_it()
    {
        TestDatabases.RequireAvailable(TestDatabases.Postgres);
        var factory = hosts.For(TestDatabases.Postgres);
        var admin = await factory.SignUpAsync();
        var key = "level" + Guid.NewGuid().ToString("N")[..8]; // its own key: statistics are shared by the workspaces using one
        var field = await DefineAsync(admin, new { entityType = "contact", key, type = "singleSelect", label = "Level", options = new[] { new { key = "gold", label = "Gold", labelZh = "金" }, new { key = "tin", label = "Tin", labelZh = "锡" } } });
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/contacts",
                new { firstName = "Stat", lastName = $"Row {i}", custom = new Dictionary<string, object> { [key] = i % 4 == 0 ? "gold" : "tin" } })).StatusCode);
        }

        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            Assert.Equal(1, await StatisticsCountAsync(db, key));
            await db.Database.ExecuteSqlRawAsync("ANALYZE customers_contacts", Ct);
            var explain = "EXPLAIN SELECT id FROM customers_contacts WHERE jsonb_extract_path_text(custom_fields, '" + key + "') = 'tin'"; // a generated key
            var plan = string.Join('\n', await db.Database.SqlQueryRaw<string>(explain).ToListAsync(Ct));
            var rows = int.Parse(System.Text.RegularExpressions.Regex.Match(plan, @"rows=(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(rows >= 20, $"30 of the rows match; without statistics PostgreSQL guesses 0.5% of the table: {plan}");

            // A field defined before Rapport kept statistics gets them when the application starts.
            var drop = Rapport.Kernel.CustomFields.CustomFieldSql.DropStatistics(Rapport.Kernel.CustomFields.CustomFieldSql.StatisticsName("customers_contacts",
                await db.Set<Rapport.Kernel.CustomFields.CustomField>().SingleAsync(f => f.Key == key, Ct)));
            await db.Database.ExecuteSqlRawAsync(drop, Ct);
            Assert.Equal(0, await StatisticsCountAsync(db, key));
            await Rapport.Kernel.CustomFields.CustomFieldIndexes.EnsureStatisticsAsync(db, Ct);
            Assert.Equal(1, await StatisticsCountAsync(db, key));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/custom-fields/{field["id"]}", "*")).StatusCode);
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            Assert.Equal(0, await StatisticsCountAsync(db, key));
        }
    }

    private static async Task<int> StatisticsCountAsync(RapportDbContext db, string key) =>
        (await db.Database.SqlQueryRaw<string>(
            "SELECT pg_get_statisticsobjdef(oid) AS \"Value\" FROM pg_statistic_ext WHERE stxrelid = 'customers_contacts'::regclass").ToListAsync(Ct))
        .Count(d => d.Contains($"'{key}'", StringComparison.Ordinal));

    private static async Task<List<string>> IndexNamesAsync(RapportDbContext db, string table) =>
        db.IsSqlite
            ? await db.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = {table}").ToListAsync(Ct)
            : await db.Database.SqlQuery<string>($"SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = {table}").ToListAsync(Ct);
}
