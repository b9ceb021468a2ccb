using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Imports;
using Rapport.Kernel.Search;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Customers.Contacts;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Imports through the API: dry run, modes and keys, errors file, undo, rights — each waited for as the background job it is.</summary>
public sealed class ImportTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<HttpResponseMessage> PostImportAsync(Tenant who, string csv, IReadOnlyDictionary<string, string> fields, string fileName = "contacts.csv", Encoding? encoding = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent((encoding ?? Encoding.UTF8).GetBytes(csv)), "file", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return await who.Client.PostAsync("/api/v1/imports", form, Ct);
    }

    internal static async Task<JsonNode> ImportAsync(Tenant who, string csv, IReadOnlyDictionary<string, string> fields, string fileName = "contacts.csv", Encoding? encoding = null)
    {
        var response = await PostImportAsync(who, csv, fields, fileName, encoding);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return await FinishedAsync(who, Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>()));
    }

    internal static async Task<JsonNode> FinishedAsync(Tenant who, Guid id, string field = "status")
    {
        for (var i = 0; i < 300; i++)
        {
            var import = await (await who.Client.GetAsync($"/api/v1/imports/{id}", Ct)).JsonAsync();
            var status = field == "status" ? import["status"]?.GetValue<string>() : import["undo"]?["status"]?.GetValue<string>();
            if (status is "completed" or "failed" or "cancelled")
            {
                return import;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Import {id} did not finish.");
    }

    /// <summary>A new workspace's administrator, and a contact custom field <c>badge</c> whose values are unique.</summary>
    private async Task<(RapportFactory Factory, Tenant Admin)> SignUpWithAUniqueBadgeAsync(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields",
            new { entityType = "contact", key = "badge", type = "text", label = "Badge", unique = true })).StatusCode);
        return (factory, admin);
    }

    /// <summary>The rows of an import batch on this database (ImportJob).</summary>
    private static int BatchSizeOn(string provider) => provider == TestDatabases.Sqlite ? ImportJob.SqliteBatchSize : ImportJob.BatchSize;

    private static (long Created, long Updated, long Skipped, long Failed) Counts(JsonNode import) =>
        (import["created"]!.GetValue<long>(), import["updated"]!.GetValue<long>(), import["skipped"]!.GetValue<long>(), import["failed"]!.GetValue<long>());

    private const string People =
        "Name,E-mail,Mobile,Company,Job title\r\n" +
        "王小明,xiaoming@example.cn,+86 138 0013 8000,example.cn,经理\r\n" +
        "Ada Lovelace,ada@example.com,+44 20 7946 0018,Analytical Engines,\"Countess,\r\nmathematician\"\r\n" +
        "Existing Person,existing@example.com,,,\r\n" +
        "Broken Mail,not-an-email,,,\r\n" +
        "\r\n" +
        "Ada Again,ADA@example.com,,,\r\n";

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Dry_run_counts_what_would_happen_and_writes_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Existing", emails = new[] { "existing@example.com" } })).StatusCode);

        var dryRun = await ImportAsync(admin, People, new Dictionary<string, string> { ["entity"] = "contact", ["dryRun"] = "true" });

        Assert.Equal("completed", dryRun["status"]!.GetValue<string>());
        Assert.Equal((2, 0, 2, 1), Counts(dryRun)); // Ada Again repeats ada@ in the file; existing@ is in the database
        Assert.False(dryRun["canUndo"]!.GetValue<bool>());
        Assert.Equal(5, dryRun["sample"]!.AsArray().Count);
        Assert.Contains(dryRun["sample"]!.AsArray(), s => s!["reason"]?.GetValue<string>().Contains("not-an-email", StringComparison.Ordinal) == true);
        Assert.Contains(dryRun["sample"]!.AsArray(), s => s!["row"]!.GetValue<long>() == 7 && s["reason"]!.GetValue<string>().Contains("an earlier row of the file", StringComparison.Ordinal));
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(1, await db.Set<Contact>().CountAsync(Ct));
        Assert.Equal(0, await db.Set<Company>().CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Create_mode_imports_new_rows_skips_duplicates_and_lists_refused_rows_in_the_error_file(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Existing", emails = new[] { "existing@example.com" } })).StatusCode);

        var import = await ImportAsync(admin, People, new Dictionary<string, string> { ["entity"] = "contact" });

        Assert.Equal((2, 0, 2, 1), Counts(import));
        Assert.True(import["canUndo"]!.GetValue<bool>());
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            var wang = await db.Set<Contact>().Include(c => c.Companies).SingleAsync(c => c.LastName == "王", Ct);
            Assert.Equal(("小明", "+8613800138000", "经理"), (wang.FirstName, wang.Phones.Single(), wang.JobTitle));
            var company = await db.Set<Company>().SingleAsync(c => c.Id == wang.CompanyId, Ct);
            Assert.Equal("example.cn", company.Domain);
            var ada = await db.Set<Contact>().SingleAsync(c => c.LastName == "Lovelace", Ct);
            Assert.Equal("Countess,\r\nmathematician", ada.JobTitle);
            Assert.Equal("Analytical Engines", (await db.Set<Company>().SingleAsync(c => c.Id == ada.CompanyId, Ct)).Name);
            var audit = await db.Set<AuditEntry>().SingleAsync(a => a.Action == AuditActions.Import, Ct);
            Assert.Equal(Guid.Parse(import["id"]!.GetValue<string>()), audit.EntityId);
        }

        // Written in bulk, the rows are in the search index and the audit log as a save would put them.
        Guid wangId;
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            wangId = await db.Set<Contact>().Where(c => c.LastName == "王").Select(c => c.Id).SingleAsync(Ct);
            var contacts = await db.Set<Contact>().Select(c => c.Id).ToListAsync(Ct);
            var audited = await db.Set<AuditEntry>().Where(a => a.EntityType == Contact.TypeName && a.Action == AuditActions.Create).Select(a => a.EntityId).ToListAsync(Ct);
            Assert.Equal(contacts.Order(), audited.Order());
        }

        var found = await (await admin.Client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString("小明")}", Ct)).JsonAsync();
        Assert.Contains(wangId.ToString(), found.ToJsonString(), StringComparison.Ordinal);

        var errors = await admin.Client.GetStringAsync($"/api/v1/imports/{import["id"]}/errors", Ct);
        var lines = errors.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Name,E-mail,Mobile,Company,Job title,Row,Reason", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("Broken Mail,not-an-email,,,,5,", StringComparison.Ordinal) && l.Contains("not a valid email", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Existing Person,existing@example.com,,,,4,", StringComparison.Ordinal) && l.Contains("Duplicate", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Ada Again,ADA@example.com,,,,7,", StringComparison.Ordinal) && l.Contains("an earlier row of the file", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_contact_imported_in_bulk_is_stamped_audited_and_indexed_as_one_created_through_the_API(string provider)
    {
        var factory = hosts.For(provider);
        var (api, imported) = (await factory.SignUpAsync(), await factory.SignUpAsync());
        var created = await api.Client.PostJsonAsync("/api/v1/contacts", new
        {
            firstName = "Grace", lastName = "Hopper", emails = new[] { "grace@navy.mil" }, phones = new[] { "+1 202 555 0100" }, jobTitle = "Rear admiral",
            birthday = "1906-12-09", tags = new[] { "navy", "cobol" }, address = new { city = "Arlington", country = "US" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        const string Csv = "First name,Last name,Email,Mobile,Job title,Birthday,City,Country,Tags\r\n" +
                           "Grace,Hopper,grace@navy.mil,+1 202 555 0100,Rear admiral,1906-12-09,Arlington,US,navy; cobol\r\n";
        Assert.Equal((1, 0, 0, 0), Counts(await ImportAsync(imported, Csv, new Dictionary<string, string> { ["entity"] = "contact" })));

        async Task<(Contact Contact, JsonObject Audit, List<(string, string)> Search)> WrittenAsync(Tenant who)
        {
            await using var scope = factory.WorkspaceScope(who.WorkspaceId, out var db);
            var contact = await db.Set<Contact>().Include(c => c.DuplicateKeys).SingleAsync(Ct);
            var audit = JsonNode.Parse(await db.Set<AuditEntry>().Where(a => a.EntityId == contact.Id && a.Action == AuditActions.Create).Select(a => a.Changes).SingleAsync(Ct))!.AsObject();
            Assert.Equal(who.UserId.ToString(), audit["ownerId"]!["after"]!.GetValue<string>());
            audit.Remove("ownerId");
            var search = await db.Set<SearchEntry>().Where(e => e.RecordId == contact.Id).Select(e => new { e.Field, e.Text }).ToListAsync(Ct);
            return (contact, audit, [.. search.Select(e => (e.Field, e.Text)).Order()]);
        }

        var (expected, actual) = (await WrittenAsync(api), await WrittenAsync(imported));
        Assert.Equal(expected.Audit.ToJsonString(), actual.Audit.ToJsonString());
        Assert.Equal(expected.Search, actual.Search);
        Assert.Equal(expected.Contact.DuplicateKeys.Select(k => k.Key).Order(), actual.Contact.DuplicateKeys.Select(k => k.Key).Order());
        Assert.Equal((1, imported.UserId, imported.UserId), (actual.Contact.Version, actual.Contact.CreatedBy, actual.Contact.UpdatedBy));
        Assert.Equal(actual.Contact.CreatedAt, actual.Contact.UpdatedAt);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Upsert_by_phone_in_another_format_updates_the_match_and_undo_restores_it_but_leaves_records_edited_since(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var settings = await admin.Client.GetAsync("/api/v1/workspace", Ct);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync("/api/v1/workspace", new { defaultCountry = "CN" }, settings.Headers.ETag!.Tag)).StatusCode);
        var existing = await (await admin.Client.PostJsonAsync("/api/v1/contacts", new { lastName = "Chen", phones = new[] { "+8613900139000" }, jobTitle = "Sales" })).JsonAsync();
        var existingId = Guid.Parse(existing["id"]!.GetValue<string>());
        const string Csv = "姓,名,手机,职位\n陈,伟,139-0013-9000,销售总监\n李,娜,13700137000,工程师\n张,三,13600136000,\n";

        var import = await ImportAsync(admin, Csv, new Dictionary<string, string> { ["entity"] = "contact", ["mode"] = "upsert", ["key"] = "phone" });

        Assert.Equal((2, 1, 0, 0), Counts(import));
        var zhangId = await IdOfAsync(factory, admin, "张");
        var edited = await admin.Client.PatchJsonAsync($"/api/v1/contacts/{zhangId}", new { jobTitle = "edited after the import" }, "*");
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        var undo = await admin.Client.PostAsync($"/api/v1/imports/{import["id"]}/undo", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, undo.StatusCode);
        var undone = await FinishedAsync(admin, Guid.Parse(import["id"]!.GetValue<string>()), "undo");
        Assert.Equal(1, undone["undo"]!["leftAlone"]!.GetValue<long>());
        Assert.Equal(zhangId, Guid.Parse(undone["undo"]!["leftAloneRecords"]!.AsArray().Single()!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostAsync($"/api/v1/imports/{import["id"]}/undo", null, Ct)).StatusCode);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var chen = await db.Set<Contact>().SingleAsync(c => c.Id == existingId, Ct);
        Assert.Equal(("Sales", null), (chen.JobTitle, chen.FirstName));
        Assert.False(await db.Set<Contact>().AnyAsync(c => c.LastName == "李", Ct));
        Assert.Equal("edited after the import", (await db.Set<Contact>().SingleAsync(c => c.Id == zhangId, Ct)).JobTitle);
        Assert.Single(await db.Set<AuditEntry>().Where(a => a.Action == AuditActions.ImportUndo).ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Companies_update_by_domain_and_by_a_unique_custom_field(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields",
            new { entityType = "company", key = "erp_id", type = "text", label = "ERP id", labelZh = "ERP 编号", unique = true })).StatusCode);
        var (acme, _) = await admin.Client.CreateCompanyAsync(new { name = "Acme", domain = "acme.example", custom = new { erp_id = "E-1" } });

        var byDomain = await ImportAsync(admin, "Company,Website,Industry\nAcme Corp,https://www.acme.example/about,制造业\nNew Co,newco.example,Retail\n",
            new Dictionary<string, string> { ["entity"] = "company", ["mode"] = "update" }, "companies.csv");
        Assert.Equal((0, 1, 1, 0), Counts(byDomain));

        var byCustom = await ImportAsync(admin, "ERP 编号;名称;年收入;币种\nE-1;;1,250,000;cny\nE-2;Second;5;CNY\nE-3;;5;CNY\n",
            new Dictionary<string, string> { ["entity"] = "company", ["mode"] = "upsert", ["key"] = "custom.erp_id" }, "companies.csv");
        Assert.Equal((1, 1, 0, 1), Counts(byCustom)); // E-3 has no name to create a company with

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var company = await db.Set<Company>().SingleAsync(c => c.Id == acme, Ct);
        Assert.Equal(("Acme Corp", "制造业", 1_250_000m, "CNY"), (company.Name, company.Industry, company.AnnualRevenue!.Value, company.AnnualRevenueCurrency));
        Assert.Equal(2, await db.Set<Company>().CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Rows_of_one_batch_that_bring_in_the_same_unique_value_are_done_again_one_by_one(string provider)
    {
        // A batch's creates are saved together: two rows with the same unique (non-key) value make the database refuse
        // that save, and the batch is then done row by row so that only the later row fails, with its reason.
        var (factory, admin) = await SignUpWithAUniqueBadgeAsync(provider);
        const string file = "Name,Email,Badge,Company\n" +
                            "One,one@example.com,B-1,shared.example\n" +
                            "Two,two@example.com,B-2,shared.example\n" +
                            "Three,three@example.com,B-1,Other Co\n";

        var dryRun = await ImportAsync(admin, file, new Dictionary<string, string> { ["entity"] = "contact", ["dryRun"] = "true" });
        Assert.Equal((2, 0, 0, 1), Counts(dryRun));

        var import = await ImportAsync(admin, file, new Dictionary<string, string> { ["entity"] = "contact" });
        Assert.Equal((2, 0, 0, 1), Counts(import));
        var errors = await admin.Client.GetStringAsync($"/api/v1/imports/{import["id"]}/errors", Ct);
        Assert.Contains(errors.Split("\r\n"), l => l.StartsWith("Three,three@example.com,B-1,Other Co,4,", StringComparison.Ordinal) && l.Contains("badge", StringComparison.OrdinalIgnoreCase));
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(["One", "Two"], (await db.Set<Contact>().Select(c => c.LastName ?? c.FirstName).ToListAsync(Ct)).Order());
        Assert.Single(await db.Set<Company>().Where(c => c.Domain == "shared.example").ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Later_batches_see_the_keys_companies_and_unique_values_of_earlier_ones_as_if_each_had_committed_first(string provider)
    {
        // Three batches (ImportJob.BatchSize rows each on PostgreSQL, SqliteBatchSize on SQLite): a row meets what earlier
        // batches wrote — keys, the companies they created, unique values — as it meets what the database held before the import.
        var (factory, admin) = await SignUpWithAUniqueBadgeAsync(provider);
        var batch = BatchSizeOn(provider);
        var rows = 2 * batch + 300;
        var file = new StringBuilder("Name,Email,Company,Badge\n");
        var companies = new List<string>();
        for (var i = 1; i <= rows; i++)
        {
            var (email, company, badge) = i switch
            {
                _ when i == batch + 20 => ("person10@example.com", "", ""),                      // a key the first batch created
                _ when i == 2 * batch + 10 => ($"PERSON{batch + 15}@example.com", "", ""),      // one the second batch created
                _ when i == batch + 30 => ($"p{i}@example.com", "", "B-20"),                     // a unique value the first batch brought in
                _ when i == 2 * batch + 20 => ($"p{i}@example.com", "", $"B-{batch + 100}"),     // one the second batch brought in
                _ => ($"person{i}@example.com", i % 100 == 7 ? $"Batch Co {i / 300}" : i % 50 == 3 ? "shared.example" : "", i % 10 == 0 ? $"B-{i}" : ""),
            };
            companies.Add(company);
            file.Append(CultureInfo.InvariantCulture, $"Person {i},{email},{company},{badge}\n");
        }

        var import = await ImportAsync(admin, file.ToString(), new Dictionary<string, string> { ["entity"] = "contact" });

        Assert.Equal((rows - 4, 0, 2, 2), Counts(import));
        var errors = (await admin.Client.GetStringAsync($"/api/v1/imports/{import["id"]}/errors", Ct)).Split("\r\n");
        foreach (var row in new[] { batch + 21, 2 * batch + 11 }) // file rows: the header is row 1
        {
            Assert.Contains(errors, l => l.Contains($",{row},Duplicate: a contact with this email exists already.", StringComparison.Ordinal));
        }

        foreach (var row in new[] { batch + 31, 2 * batch + 21 })
        {
            Assert.Contains(errors, l => l.Contains($",{row},", StringComparison.Ordinal) && l.Contains("badge", StringComparison.OrdinalIgnoreCase));
        }

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(rows - 4, await db.Set<Contact>().CountAsync(Ct));
        Assert.Equal(companies.Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal),
            (await db.Set<Company>().Select(c => c.Domain ?? c.Name).ToListAsync(Ct)).Order(StringComparer.Ordinal));
        Assert.Equal(companies.Count(c => c == "shared.example"),
            await db.Set<Contact>().CountAsync(c => c.CompanyId != null && db.Set<Company>().Any(co => co.Id == c.CompanyId && co.Domain == "shared.example"), Ct));
        Assert.Equal(rows - 4, await db.Set<ImportRecord>().CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Batches_written_while_the_one_before_is_still_being_written_commit_after_it_and_are_done_again_when_it_is_refused(string provider)
    {
        // No companies: on PostgreSQL each batch is written beside the one before it (ImportJob). The second batch brings in
        // a unique value of the first, which the database refuses once the first commits; the third, written beside the
        // second, is rolled back with it and done again, and is refused in turn for a value of the second.
        var (factory, admin) = await SignUpWithAUniqueBadgeAsync(provider);
        var batch = BatchSizeOn(provider);
        var rows = 2 * batch + 300;
        var file = new StringBuilder("Name,Email,Badge\n");
        for (var i = 1; i <= rows; i++)
        {
            var (email, badge) = i switch
            {
                _ when i == batch + 20 => ("person10@example.com", ""),              // a key the first batch created
                _ when i == batch + 30 => ($"p{i}@example.com", "B-20"),             // a unique value the first batch brought in
                _ when i == 2 * batch + 20 => ($"p{i}@example.com", $"B-{batch + 100}"), // one the second batch brought in
                _ => ($"person{i}@example.com", i % 10 == 0 ? $"B-{i}" : ""),
            };
            file.Append(CultureInfo.InvariantCulture, $"Person {i},{email},{badge}\n");
        }

        var import = await ImportAsync(admin, file.ToString(), new Dictionary<string, string> { ["entity"] = "contact" });

        Assert.Equal((rows - 3, 0, 1, 2), Counts(import));
        var errors = (await admin.Client.GetStringAsync($"/api/v1/imports/{import["id"]}/errors", Ct)).Split("\r\n");
        Assert.Contains(errors, l => l.Contains($",{batch + 21},Duplicate: a contact with this email exists already.", StringComparison.Ordinal));
        foreach (var row in new[] { batch + 31, 2 * batch + 21 }) // file rows: the header is row 1
        {
            Assert.Contains(errors, l => l.Contains($",{row},", StringComparison.Ordinal) && l.Contains("badge", StringComparison.OrdinalIgnoreCase));
        }

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(rows - 3, await db.Set<Contact>().CountAsync(Ct));
        Assert.Equal(rows - 3, await db.Set<ImportRecord>().CountAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Bad_requests_are_refused_with_the_field_and_nothing_is_queued(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        async Task RefusedAsync(string csv, Dictionary<string, string> fields, string field)
        {
            var response = await PostImportAsync(admin, csv, fields);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.NotNull((await response.JsonAsync())["errors"]![field]);
        }

        await RefusedAsync("Email\na@b.c\n", new() { ["entity"] = "deal" }, "entity");
        await RefusedAsync("Email\na@b.c\n", new() { ["entity"] = "contact", ["mode"] = "merge" }, "mode");
        await RefusedAsync("Email\na@b.c\n", new() { ["entity"] = "contact", ["key"] = "domain" }, "key");
        await RefusedAsync("Name\nx\n", new() { ["entity"] = "contact", ["mode"] = "update" }, "key");
        await RefusedAsync("Email\na@b.c\n", new() { ["entity"] = "contact", ["mapping"] = "{\"Mail\":\"emails\"}" }, "mapping");
        await RefusedAsync("Email\na@b.c\n", new() { ["entity"] = "contact", ["mapping"] = "{\"Email\":\"fax\"}" }, "mapping");
        await RefusedAsync("Email\na@b.c\n", new() { ["entity"] = "contact", ["mapping"] = "not json" }, "mapping");
        await RefusedAsync("Email\na@b.c\n", new() { ["entity"] = "contact", ["encoding"] = "ebcdic" }, "encoding");
        await RefusedAsync("", new() { ["entity"] = "contact" }, "file");
        var list = await (await admin.Client.GetAsync("/api/v1/imports", Ct)).JsonAsync();
        Assert.Empty(list["items"]!.AsArray());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Members_without_the_import_right_and_other_workspaces_are_refused_and_nothing_changes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var stranger = await factory.SignUpAsync();

        var refused = await PostImportAsync(rep, "Email\nrep@example.com\n", new Dictionary<string, string> { ["entity"] = "contact" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var import = await ImportAsync(admin, "Email,Last name\nmine@example.com,Mine\n", new Dictionary<string, string> { ["entity"] = "contact" });
        var id = import["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/imports/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/imports/{id}/errors", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostAsync($"/api/v1/imports/{id}/undo", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.PostAsync($"/api/v1/imports/{id}/undo", null, Ct)).StatusCode);
        Assert.Empty((await (await rep.Client.GetAsync("/api/v1/imports", Ct)).JsonAsync())["items"]!.AsArray());

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(["mine@example.com"], await db.Set<Contact>().Select(c => c.Emails[0]).ToListAsync(Ct));
        Assert.Null((await db.Set<Import>().SingleAsync(Ct)).UndoJobId);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Companies_named_in_rows_are_found_case_blind_by_seeking_the_lower_name_index(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (acme, _) = await admin.Client.CreateCompanyAsync(new { name = "Acme Widgets" });
        var (xiaomi, _) = await admin.Client.CreateCompanyAsync(new { name = "小米科技" });
        await admin.Client.CreateCompanyAsync(new { name = "Other Works" });
        // Enough companies that reading them all is not the cheaper plan.
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync("/api/v1/companies/batch",
            new { items = Enumerable.Range(0, 1000).Select(i => new { name = $"Filler {i}", domain = $"filler{i}.example" }) })).StatusCode);

        factory.Statements.Reset(admin.WorkspaceId);
        var contacts = await ImportAsync(admin, "Name,Email,Company\nAda,ada@example.com,ACME WIDGETS\nBo,bo@example.com,acme widgets\n" +
            "王伟,wei@example.cn,小米科技\nCy,cy@example.com,New Works\n", new Dictionary<string, string> { ["entity"] = "contact" });
        Assert.Equal((4, 0, 0, 0), Counts(contacts));
        var contactLookups = NameLookups(factory, admin);

        factory.Statements.Reset(admin.WorkspaceId);
        var companies = await ImportAsync(admin, "Name,Industry\nacme WIDGETS,Tools\n小米科技,电子\nNobody Works,None\n",
            new Dictionary<string, string> { ["entity"] = "company", ["mode"] = "update", ["key"] = "name" }, "companies.csv");
        Assert.Equal((0, 2, 1, 0), Counts(companies));
        var companyLookups = NameLookups(factory, admin);

        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            var linked = await db.Set<Contact>().ToDictionaryAsync(c => c.Emails[0], c => c.CompanyId, Ct);
            Assert.Equal((acme, acme, xiaomi), (linked["ada@example.com"], linked["bo@example.com"], linked["wei@example.cn"]));
            Assert.Equal(["New Works", "Other Works", "acme WIDGETS", "小米科技"], (await db.Set<Company>().Where(c => !c.Name.StartsWith("Filler")).Select(c => c.Name).ToListAsync(Ct)).Order(StringComparer.Ordinal));
            Assert.Equal(("Tools", "电子"), ((await db.Set<Company>().SingleAsync(c => c.Id == acme, Ct)).Industry, (await db.Set<Company>().SingleAsync(c => c.Id == xiaomi, Ct)).Industry));
            if (!db.IsSqlite)
            {
                await db.Database.ExecuteSqlRawAsync("ANALYZE customers_companies", Ct); // the statistics autovacuum keeps: without them PostgreSQL guesses any index
            }
        }

        foreach (var statement in contactLookups.Concat(companyLookups))
        {
            var plan = await QueryPlans.ExplainAsync(factory, admin, statement, Ct);
            var seeks = factory.Provider == TestDatabases.Sqlite
                ? plan.Contains("SEARCH c USING INDEX ix_customers_companies_workspace_id_lower_name (workspace_id=? AND <expr>=?)", StringComparison.Ordinal)
                : plan.Contains("ix_customers_companies_workspace_id_lower_name", StringComparison.Ordinal) && plan.Contains("Index Cond: ((workspace_id = ", StringComparison.Ordinal)
                  && plan.Contains("AND (lower((name)::text) = ANY", StringComparison.Ordinal);
            Assert.True(seeks, $"{statement.Sql}{Environment.NewLine}{plan}");
        }

        static List<SentStatement> NameLookups(RapportFactory factory, Tenant who)
        {
            var found = factory.Statements.Sent(who.WorkspaceId)
                .Where(s => s.Sql.Contains("customers_companies", StringComparison.Ordinal) && s.Sql.Contains("lower(", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(found);
            return found;
        }
    }

    [Fact]
    public async Task On_PostgreSQL_an_import_analyzes_the_tables_its_first_batch_wrote_so_later_batches_are_not_planned_for_empty_tables()
    {
        var factory = hosts.For(TestDatabases.Postgres);
        var admin = await factory.SignUpAsync();
        string[] tables = ["customers_contacts", "customers_contact_duplicate_keys", "kernel_search_entries"];
        async Task<long[]> AnalyzedAsync()
        {
            await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
            var counts = new long[tables.Length];
            for (var i = 0; i < tables.Length; i++)
            {
                counts[i] = await db.Database.SqlQuery<long>($"SELECT analyze_count AS \"Value\" FROM pg_stat_user_tables WHERE relname = {tables[i]}").SingleAsync(Ct);
            }

            return counts;
        }

        var before = await AnalyzedAsync();
        Assert.Equal((2, 0, 0, 0), Counts(await ImportAsync(admin, "Name,Email\nAda,ada@example.com\n王伟,wei@example.cn\n", new Dictionary<string, string> { ["entity"] = "contact" })));
        var after = await AnalyzedAsync();
        Assert.All(tables.Select((t, i) => (t, before[i], after[i])), c => Assert.True(c.Item3 > c.Item2, $"{c.t} was not analyzed: {c.Item2} → {c.Item3}"));
    }

    [Fact]
    public async Task On_SQLite_an_import_gives_its_connections_back_waiting_for_the_disk_and_checkpointing_as_every_connection_does()
    {
        // Batches commit without waiting for the disk and leave checkpoints to the check of the next batch: settings of
        // their connection, which must not reach the requests that use it next.
        await using var factory = new RapportFactory(TestDatabases.Sqlite); // its own: every idle connection is looked at
        var admin = await factory.SignUpAsync();
        var file = new StringBuilder("Name,Email\n");
        for (var i = 1; i <= 800; i++)
        {
            file.Append(CultureInfo.InvariantCulture, $"Person {i},person{i}@example.com\n");
        }

        Assert.Equal((800, 0, 0, 0), Counts(await ImportAsync(admin, file.ToString(), new Dictionary<string, string> { ["entity"] = "contact" })));

        var scopes = new List<IAsyncDisposable>();
        try
        {
            for (var i = 0; i < SqliteConnectionLeases.MaxIdle; i++) // every idle connection, rented at once
            {
                scopes.Add(factory.WorkspaceScope(admin.WorkspaceId, out var db));
                await db.Database.OpenConnectionAsync(Ct);
                foreach (var (pragma, expected) in new[] { ("synchronous", 2L), ("wal_autocheckpoint", 1000L) }) // FULL; a checkpoint every 1,000 pages
                {
                    await using var read = db.Database.GetDbConnection().CreateCommand();
                    read.CommandText = "PRAGMA " + pragma;
                    Assert.Equal(expected, await read.ExecuteScalarAsync(Ct));
                }
            }
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }

    private static async Task<Guid> IdOfAsync(RapportFactory factory, Tenant who, string lastName)
    {
        await using var scope = factory.WorkspaceScope(who.WorkspaceId, out var db);
        return await db.Set<Contact>().Where(c => c.LastName == lastName).Select(c => c.Id).SingleAsync(Ct);
    }
}
