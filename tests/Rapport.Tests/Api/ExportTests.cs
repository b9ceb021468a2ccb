using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Transfer;
using Rapport.Modules.Customers.Contacts;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Exports of contacts and companies: file content per format, formula neutralization, the list's filter and sort, record and field access, audit, streaming.</summary>
public sealed class ExportTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Columns = "firstName,lastName,emails,phones,jobTitle";

    /// <summary>A workspace with three contacts: a Chinese one with a two-line title, one named like a formula, one with a title like a negative number.</summary>
    private static async Task<Tenant> WorkspaceAsync(RapportFactory factory)
    {
        var admin = await factory.SignUpAsync();
        await CreateContactAsync(admin, new { firstName = "小明", lastName = "王", emails = new[] { "xiaoming@example.cn", "wang@example.com" }, phones = new[] { "+86 138 0013 8000" }, jobTitle = "销售总监\n华东区, 上海" });
        await CreateContactAsync(admin, new { firstName = "=1+1", lastName = "Formula", emails = new[] { "formula@example.com" }, jobTitle = "@SUM(A1)" });
        await CreateContactAsync(admin, new { firstName = "Nina", lastName = "Negative", phones = new[] { "+1 (650) 253-0000" }, jobTitle = "-12.5" });
        return admin;
    }

    private static async Task CreateContactAsync(Tenant who, object body) =>
        Assert.Equal(HttpStatusCode.Created, (await who.Client.PostJsonAsync("/api/v1/contacts", body)).StatusCode);

    private static Task<HttpResponseMessage> ExportAsync(Tenant who, string entity, string query) =>
        who.Client.GetAsync($"/api/v1/{entity}/export?{query}", Ct);

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Csv_has_api_field_headers_quoted_line_breaks_chinese_text_and_a_bom_only_when_asked(string provider)
    {
        var admin = await WorkspaceAsync(hosts.For(provider));

        var response = await ExportAsync(admin, "contacts", $"format=csv&columns={Columns}&sort=lastName");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Matches(@"^contacts-\d{4}-\d{2}-\d{2}\.csv$", response.Content.Headers.ContentDisposition.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no BOM unless asked");
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"销售总监\n华东区, 上海\"", text, StringComparison.Ordinal);
        var rows = Csv(text);
        Assert.Equal(Columns.Split(','), rows[0]);
        Assert.Equal(["Formula", "Negative", "王"], rows.Skip(1).Select(r => r[1]));
        Assert.Equal(["小明", "王", "xiaoming@example.cn; wang@example.com", "+8613800138000", "销售总监\n华东区, 上海"], rows[3]);

        var withBom = await (await ExportAsync(admin, "contacts", $"format=csv&columns={Columns}&sort=lastName&bom=true")).Content.ReadAsByteArrayAsync(Ct);
        Assert.True(withBom.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        Assert.Equal(bytes, withBom[Encoding.UTF8.Preamble.Length..]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Formula_cells_are_neutralized_in_the_file_but_phones_and_negative_numbers_are_not(string provider)
    {
        var admin = await WorkspaceAsync(hosts.For(provider));

        var rows = Csv(await (await ExportAsync(admin, "contacts", $"columns={Columns}&sort=lastName")).Content.ReadAsStringAsync(Ct));

        Assert.Equal(["'=1+1", "Formula", "formula@example.com", "", "'@SUM(A1)"], rows[1]);
        Assert.Equal(["Nina", "Negative", "", "+16502530000", "-12.5"], rows[2]);
        Assert.Equal("=1+1", SpreadsheetCells.Restore(rows[1][0]));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Xlsx_opens_with_MiniExcel_and_has_the_rows(string provider)
    {
        var admin = await WorkspaceAsync(hosts.For(provider));

        var response = await ExportAsync(admin, "contacts", $"format=xlsx&columns={Columns},birthday,createdAt&sort=lastName");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var rows = file.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();

        Assert.Equal([.. Columns.Split(','), "birthday", "createdAt"], rows[0].Keys);
        Assert.Equal(["Formula", "Negative", "王"], rows.Select(r => r["lastName"]));
        Assert.Equal("'=1+1", rows[0]["firstName"]);
        Assert.Equal("-12.5", rows[1]["jobTitle"]);
        Assert.Equal("xiaoming@example.cn; wang@example.com", rows[2]["emails"]);
        Assert.Equal("销售总监\n华东区, 上海", rows[2]["jobTitle"]);
        Assert.IsType<DateTime>(rows[2]["createdAt"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Vcf_parses_back_with_the_reader(string provider)
    {
        var admin = await WorkspaceAsync(hosts.For(provider));

        var response = await ExportAsync(admin, "contacts", "format=vcf&sort=lastName");
        Assert.Equal("text/vcard", response.Content.Headers.ContentType!.MediaType);
        var cards = VCard.Read(new StringReader(await response.Content.ReadAsStringAsync(Ct))).ToList();

        Assert.Equal(3, cards.Count);
        var wang = cards[2];
        Assert.Equal(("王", "小明", "王小明"), (wang.FamilyName, wang.GivenName, wang.FormattedName));
        Assert.Equal(["xiaoming@example.cn", "wang@example.com"], wang.Emails);
        Assert.Equal(["+8613800138000"], wang.Phones);
        Assert.Equal("销售总监\n华东区, 上海", wang.Title);
        Assert.Equal("=1+1", cards[0].GivenName); // a vCard is no spreadsheet: nothing to neutralize
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_list_filter_and_sort_are_honoured_and_bad_ones_are_400s_before_any_byte(string provider)
    {
        var admin = await WorkspaceAsync(hosts.For(provider));
        var filter = Uri.EscapeDataString("""{"field":"lastName","op":"in","value":["Formula","Negative"]}""");

        var rows = Csv(await (await ExportAsync(admin, "contacts", $"columns=lastName&filter={filter}&sort=-lastName")).Content.ReadAsStringAsync(Ct));
        Assert.Equal(["Negative", "Formula"], rows.Skip(1).Select(r => r[0]));

        var badFilter = await ExportAsync(admin, "contacts", $"filter={Uri.EscapeDataString("""{"field":"salary","op":"eq","value":1}""")}");
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ExportAsync(admin, "contacts", "sort=emails")).StatusCode);
        var badColumn = await ExportAsync(admin, "contacts", "columns=lastName,salary");
        Assert.Equal(HttpStatusCode.BadRequest, badColumn.StatusCode);
        Assert.Contains("salary", (await badColumn.JsonAsync())["errors"]!["columns"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await ExportAsync(admin, "contacts", "format=pdf")).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Default_columns_are_the_lists_and_custom_fields_export_by_key(string provider)
    {
        var admin = await WorkspaceAsync(hosts.For(provider));
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields",
            new { entityType = "company", key = "tier", type = "multiSelect", label = "Tier", options = new[] { new { key = "gold", label = "Gold" }, new { key = "silver", label = "Silver" } } })).StatusCode);
        await admin.Client.CreateCompanyAsync(new { name = "上海示例有限公司", domain = "example.cn", custom = new { tier = new[] { "gold", "silver" } } });

        var contacts = Csv(await (await ExportAsync(admin, "contacts", "")).Content.ReadAsStringAsync(Ct));
        Assert.Equal(["firstName", "lastName", "emails", "phones", "jobTitle", "company", "lifecycleStage", "ownerId", "updatedAt"], contacts[0]);
        var companies = Csv(await (await ExportAsync(admin, "companies", "columns=name,domain,custom.tier")).Content.ReadAsStringAsync(Ct));
        Assert.Equal([["name", "domain", "custom.tier"], ["上海示例有限公司", "example.cn", "gold; silver"]], companies);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_hidden_field_is_absent_even_as_a_header_and_cannot_be_asked_for(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await WorkspaceAsync(factory);
        var clerk = await factory.MemberWithRoleAsync(admin, new { contact = new { read = "all", export = "all" } }, new { contact = new { emails = "hidden" } });

        var text = await (await ExportAsync(clerk, "contacts", "")).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("emails", Csv(text)[0]);
        Assert.DoesNotContain("@example", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await ExportAsync(clerk, "contacts", "columns=lastName,emails")).StatusCode);
        var vcf = await (await ExportAsync(clerk, "contacts", "format=vcf")).Content.ReadAsStringAsync(Ct);
        Assert.Equal(3, VCard.Read(new StringReader(vcf)).Count());
        Assert.DoesNotContain("EMAIL", vcf, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Only_records_in_reach_of_the_export_level_leave_and_another_workspace_gets_nothing_of_ours(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await WorkspaceAsync(factory);
        var own = await factory.MemberWithRoleAsync(admin, new { contact = new { create = "all", read = "all", export = "own" } });
        await CreateContactAsync(own, new { lastName = "Mine" });

        var mine = Csv(await (await ExportAsync(own, "contacts", "columns=lastName")).Content.ReadAsStringAsync(Ct));
        Assert.Equal([["lastName"], ["Mine"]], mine);

        var stranger = await factory.SignUpAsync();
        var theirs = await ExportAsync(stranger, "contacts", "columns=lastName");
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        Assert.Equal([["lastName"]], Csv(await theirs.Content.ReadAsStringAsync(Ct)));
        Assert.Single((await (await ExportAsync(stranger, "contacts", "format=xlsx")).Content.ReadAsStreamAsync(Ct)).Query().ToList()); // the header row
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Members_without_the_read_or_export_right_get_403_and_leave_no_audit_row(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await WorkspaceAsync(factory);
        var reader = await factory.InviteAsync(admin, "read-only");
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var exporterOnly = await factory.MemberWithRoleAsync(admin, new { company = new { export = "all" } });

        foreach (var who in new[] { reader, rep })
        {
            foreach (var entity in new[] { "contacts", "companies" })
            {
                var refused = await ExportAsync(who, entity, "format=csv");
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                Assert.Equal("https://rapport.dev/problems/forbidden", (await refused.JsonAsync())["type"]!.GetValue<string>());
            }
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await ExportAsync(exporterOnly, "companies", "")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/v1/contacts/export", Ct)).StatusCode);
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.False(await db.Set<AuditEntry>().AnyAsync(a => a.Action == AuditActions.Export, Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_export_writes_one_audit_row_with_its_format_filter_and_row_count(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await WorkspaceAsync(factory);
        var filter = """{"field":"lastName","op":"neq","value":"Formula"}""";

        await (await ExportAsync(admin, "contacts", $"format=xlsx&filter={Uri.EscapeDataString(filter)}&columns=lastName")).Content.ReadAsByteArrayAsync(Ct);
        await (await ExportAsync(admin, "companies", "format=csv")).Content.ReadAsByteArrayAsync(Ct);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var rows = await db.Set<AuditEntry>().Where(a => a.Action == AuditActions.Export).OrderBy(a => a.At).ToListAsync(Ct);
        Assert.Equal(["contact", "company"], rows.Select(r => r.EntityType));
        Assert.All(rows, r => Assert.Equal(admin.UserId, r.UserId));
        var facts = JsonNode.Parse(rows[0].Changes)!;
        Assert.Equal("xlsx", facts["format"]!["after"]!.GetValue<string>());
        Assert.Equal(filter, facts["filter"]!["after"]!.GetValue<string>());
        Assert.Equal(2, facts["rows"]!["after"]!.GetValue<int>());
        Assert.True(facts["complete"]!["after"]!.GetValue<bool>());
        Assert.Equal(0, JsonNode.Parse(rows[1].Changes)!["rows"]!["after"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Companies_export_as_csv_and_xlsx_and_refuse_vcf(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        await admin.Client.CreateCompanyAsync(new { name = "-Minus Corp", phone = "+86 21 5555 0000", annualRevenue = new { amount = 1250.5m, currency = "CNY" } });

        var rows = Csv(await (await ExportAsync(admin, "companies", "columns=name,phone,annualRevenue.amount,annualRevenue.currency")).Content.ReadAsStringAsync(Ct));
        Assert.Equal(["'-Minus Corp", "+86 21 5555 0000", "1250.5", "CNY"], rows[1]);
        var vcf = await ExportAsync(admin, "companies", "format=vcf");
        Assert.Equal(HttpStatusCode.BadRequest, vcf.StatusCode);
        Assert.Contains("contacts", (await vcf.JsonAsync())["errors"]!["format"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    internal const string AllCompanyColumns = "id,name,domain,industry,phone,website,address.street,address.city,address.region,address.postalCode," +
        "address.country,ownerId,teamId,size,annualRevenue.amount,annualRevenue.currency,parentCompanyId,lifecycleStage,tags,createdAt,updatedAt," +
        "custom.tier,custom.score,custom.since,custom.active,custom.secret";

    /// <summary>Companies with one of each custom field type: a parent, one with every field filled, one with almost none.</summary>
    internal static async Task<(Tenant Admin, Guid Parent, Guid Acme, Guid Xiaomi)> CompaniesWorkspaceAsync(RapportFactory factory)
    {
        var admin = await factory.SignUpAsync();
        foreach (var field in new object[]
                 {
                     new { entityType = "company", key = "tier", type = "multiSelect", label = "Tier", options = new[] { new { key = "gold", label = "Gold" }, new { key = "silver", label = "Silver" } } },
                     new { entityType = "company", key = "score", type = "number", label = "Score", sortable = true },
                     new { entityType = "company", key = "since", type = "date", label = "Since" },
                     new { entityType = "company", key = "active", type = "yesNo", label = "Active" },
                     new { entityType = "company", key = "secret", type = "text", label = "Secret" },
                 })
        {
            var created = await admin.Client.PostJsonAsync("/api/v1/custom-fields", field);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        }

        var (parent, _) = await admin.Client.CreateCompanyAsync(new { name = "Parent Group", custom = new { score = 9 } });
        var (acme, _) = await admin.Client.CreateCompanyAsync(new
        {
            name = "Acme, \"Inc.\"", domain = "acme.example", industry = "=Tools", phone = "+86 21 5555 0000", website = "https://acme.example",
            address = new { street = "1 Road\nBuilding 2", city = "上海", region = "SH", postalCode = "200000", country = "cn" },
            ownerId = admin.UserId, size = "51-200", annualRevenue = new { amount = 1250.5m, currency = "CNY" }, parentCompanyId = parent,
            lifecycleStage = "customer", tags = new[] { "b2b", "-vip" },
            custom = new { tier = new[] { "gold", "silver" }, score = 7.25, since = "2024-02-29", active = true, secret = "s3cret" },
        });
        var (xiaomi, _) = await admin.Client.CreateCompanyAsync(new { name = "小米科技", custom = new { score = 2, active = false } });
        return (admin, parent, acme, xiaomi);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Companies_export_every_column_and_custom_value_and_leave_out_hidden_fields(string provider)
    {
        var factory = hosts.For(provider);
        var (admin, parent, acme, xiaomi) = await CompaniesWorkspaceAsync(factory);
        var stamps = new Dictionary<Guid, (string Created, string Updated)>();
        foreach (var id in new[] { parent, acme, xiaomi })
        {
            var json = await (await admin.Client.GetAsync($"/api/v1/companies/{id}", Ct)).JsonAsync();
            stamps[id] = (RecordExport.Text(json["createdAt"]!.GetValue<DateTimeOffset>())!, RecordExport.Text(json["updatedAt"]!.GetValue<DateTimeOffset>())!);
        }

        var rows = Csv(await (await ExportAsync(admin, "companies", $"columns={AllCompanyColumns}&sort=name")).Content.ReadAsStringAsync(Ct));
        Assert.Equal(AllCompanyColumns.Split(','), rows[0]);
        Assert.Equal(4, rows.Count);
        Assert.Equal(
            [acme.ToString(), "Acme, \"Inc.\"", "acme.example", "'=Tools", "+86 21 5555 0000", "https://acme.example", "1 Road\nBuilding 2", "上海", "SH", "200000",
             "CN", admin.UserId.ToString(), "", "51-200", "1250.5", "CNY", parent.ToString(), "customer", "b2b; -vip", stamps[acme].Created, stamps[acme].Updated,
             "gold; silver", "7.25", "2024-02-29", "true", "s3cret"], rows[1]);
        Assert.Equal([parent.ToString(), "Parent Group", .. Enumerable.Repeat("", 9), admin.UserId.ToString(), .. Enumerable.Repeat("", 7), stamps[parent].Created, stamps[parent].Updated, "", "9", "", "", ""], rows[2]);
        Assert.Equal([xiaomi.ToString(), "小米科技", .. Enumerable.Repeat("", 9), admin.UserId.ToString(), .. Enumerable.Repeat("", 7), stamps[xiaomi].Created, stamps[xiaomi].Updated, "", "2", "", "false", ""], rows[3]);

        // Sorted by a custom field (a computed sort key, read through entities), and by a built-in one descending.
        var byScore = Csv(await (await ExportAsync(admin, "companies", "columns=name,custom.score&sort=-custom.score")).Content.ReadAsStringAsync(Ct));
        Assert.Equal([["name", "custom.score"], ["Parent Group", "9"], ["Acme, \"Inc.\"", "7.25"], ["小米科技", "2"]], byScore);
        var byName = Csv(await (await ExportAsync(admin, "companies", "columns=annualRevenue.currency,name&sort=-name")).Content.ReadAsStringAsync(Ct));
        Assert.Equal([["annualRevenue.currency", "name"], ["", "小米科技"], ["", "Parent Group"], ["CNY", "Acme, \"Inc.\""]], byName);

        using (var file = new MemoryStream(await (await ExportAsync(admin, "companies", $"format=xlsx&columns={AllCompanyColumns}&sort=name")).Content.ReadAsByteArrayAsync(Ct)))
        {
            var sheet = file.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(3, sheet.Count);
            Assert.Equal((1250.5m, "CNY", true, 7.25m, "b2b; -vip"),
                (Convert.ToDecimal(sheet[0]["annualRevenue.amount"], System.Globalization.CultureInfo.InvariantCulture), sheet[0]["annualRevenue.currency"],
                 sheet[0]["custom.active"], Convert.ToDecimal(sheet[0]["custom.score"], System.Globalization.CultureInfo.InvariantCulture), sheet[0]["tags"]));
            Assert.IsType<DateTime>(sheet[0]["createdAt"]);
            Assert.Equal("2024-02-29", sheet[0]["custom.since"]);
        }

        var clerk = await factory.MemberWithRoleAsync(admin, new { company = new { read = "all", export = "all" } },
            new { company = new Dictionary<string, string> { ["phone"] = "hidden", ["address"] = "hidden", ["custom.secret"] = "hidden" } });
        var text = await (await ExportAsync(clerk, "companies", $"columns=name,domain,custom.tier&sort=name")).Content.ReadAsStringAsync(Ct);
        Assert.Equal([["name", "domain", "custom.tier"], ["Acme, \"Inc.\"", "acme.example", "gold; silver"], ["Parent Group", "", ""], ["小米科技", "", ""]], Csv(text));
        var defaults = await (await ExportAsync(clerk, "companies", "")).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("5555", defaults, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", defaults, StringComparison.Ordinal);
        foreach (var hidden in new[] { "phone", "address.city", "custom.secret" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await ExportAsync(clerk, "companies", $"columns=name,{hidden}")).StatusCode);
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Exporting_5000_contacts_reads_them_in_chunks_not_a_statement_per_row(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Bulk Co" });
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            for (var i = 0; i < 5000; i++)
            {
                db.Add(Contact.Create(admin.WorkspaceId, new ContactFields($"名{i}", $"Person{i:D4}", [$"p{i}@example.com"], CompanyId: company, OwnerId: admin.UserId),
                    [($"+8613800{i:D6}", $"+86 13800{i:D6}")]));
            }

            await db.SaveChangesAsync(Ct);
        }

        factory.Statements.Reset(admin.WorkspaceId);
        var rows = Csv(await (await ExportAsync(admin, "contacts", "sort=lastName")).Content.ReadAsStringAsync(Ct));

        Assert.Equal(5001, rows.Count);
        Assert.Equal(["名0", "Person0000", "p0@example.com", "+8613800000000"], rows[1][..4]);
        Assert.Equal("Bulk Co", rows[5000][5]);
        var statements = factory.Statements.For(admin.WorkspaceId);
        Assert.True(statements is > 5 and < 40, $"{statements} statements for 5,000 rows");
    }

    /// <summary>Parses RFC 4180 CSV (quoted fields with commas, quotes and line breaks; CRLF rows).</summary>
    private static List<string[]> Csv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.True(row.Count == 0 && field.Length == 0, "the file ends with CRLF");
        return rows;
    }
}
