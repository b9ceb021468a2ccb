using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MiniExcelLibs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rapport.Kernel.Imports;
using Rapport.Modules.Customers.Contacts;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Api.ImportTests;

namespace Rapport.Tests.Api;

/// <summary>Files as people have them (GBK from Chinese Excel, .xlsx, vCard, 200 columns), round trips through export, field security and retention.</summary>
public sealed class ImportFormatTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Contacts(string mode = "create", string key = "email") => new() { ["entity"] = "contact", ["mode"] = mode, ["key"] = key };

    private static async Task<HttpResponseMessage> PostFileAsync(Tenant who, byte[] bytes, string fileName, Dictionary<string, string> fields)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return await who.Client.PostAsync("/api/v1/imports", form, Ct);
    }

    private static async Task<JsonNode> ImportFileAsync(Tenant who, byte[] bytes, string fileName, Dictionary<string, string> fields)
    {
        var response = await PostFileAsync(who, bytes, fileName, fields);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return await FinishedAsync(who, Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>()));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_GBK_file_with_semicolons_from_Chinese_Excel_imports_with_its_names_intact(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        var gbk = Encoding.GetEncoding("gb18030");
        var import = await ImportAsync(admin, "姓名;邮箱;手机;城市;国家\r\n王小明;wang@example.cn;+86 138 0013 8000;上海;中国\r\n欧阳娜娜;nana@example.cn;;北京;CN\r\n",
            Contacts(), "客户.csv", gbk);

        Assert.Equal(2, import["created"]!.GetValue<long>());
        await using var scope = hosts.For(provider).WorkspaceScope(admin.WorkspaceId, out var db);
        var people = await db.Set<Contact>().OrderBy(c => c.Emails[0]).Select(c => new { c.LastName, c.FirstName, c.City, c.Country }).ToListAsync(Ct);
        Assert.Equal([new { LastName = (string?)"欧阳", FirstName = (string?)"娜娜", City = (string?)"北京", Country = (string?)"CN" },
            new { LastName = (string?)"王", FirstName = (string?)"小明", City = (string?)"上海", Country = (string?)"CN" }], people);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_excel_workbook_imports_numbers_dates_and_200_columns(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        var settings = await admin.Client.GetAsync("/api/v1/workspace", Ct);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync("/api/v1/workspace", new { defaultCountry = "CN" }, settings.Headers.ETag!.Tag)).StatusCode);
        var rows = Enumerable.Range(0, 3).Select(i =>
        {
            var row = new Dictionary<string, object?> { ["First name"] = $"名{i}", ["Last name"] = "李", ["Email"] = $"li{i}@example.com", ["Mobile"] = 13800138000L + i, ["Birthday"] = new DateTime(1990, 1, 2 + i) };
            for (var c = 0; c < 195; c++)
            {
                row[$"Extra {c}"] = $"x{c}";
            }

            return row;
        }).ToList();
        using var workbook = new MemoryStream();
        await workbook.SaveAsAsync(rows, cancellationToken: Ct);

        var import = await ImportFileAsync(admin, workbook.ToArray(), "people.xlsx", Contacts());

        Assert.Equal(("xlsx", 3L, 0L), (import["format"]!.GetValue<string>(), import["created"]!.GetValue<long>(), import["failed"]!.GetValue<long>()));
        await using var scope = hosts.For(provider).WorkspaceScope(admin.WorkspaceId, out var db);
        var li = await db.Set<Contact>().SingleAsync(c => c.FirstName == "名1", Ct);
        Assert.Equal(("+8613800138001", new DateOnly(1990, 1, 3)), (li.Phones.Single(), li.Birthday!.Value));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_vCard_file_imports_cards_and_drops_the_address_book_system_groups(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();
        const string Cards = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:张;伟;;;\r\nFN:张伟\r\nEMAIL;TYPE=INTERNET:zhang@example.cn\r\nTEL;TYPE=CELL:+86 139 0013 9000\r\n" +
                             "ORG:示例科技\r\nTITLE:工程师\r\nCATEGORIES:myContacts,VIP\r\nEND:VCARD\r\n" +
                             "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\nEMAIL:grace@example.com\r\nEND:VCARD\r\n";

        var import = await ImportFileAsync(admin, Encoding.UTF8.GetBytes(Cards), "contacts.vcf", Contacts());

        Assert.Equal(("vcf", 2L), (import["format"]!.GetValue<string>(), import["created"]!.GetValue<long>()));
        await using var scope = hosts.For(provider).WorkspaceScope(admin.WorkspaceId, out var db);
        var zhang = await db.Set<Contact>().SingleAsync(c => c.LastName == "张", Ct);
        Assert.Equal(("伟", "工程师", "+8613900139000"), (zhang.FirstName, zhang.JobTitle, zhang.Phones.Single()));
        Assert.Equal(["VIP"], zhang.Tags);
        Assert.NotNull(zhang.CompanyId);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Exports_import_again_unchanged_in_csv_excel_and_vcard(string provider)
    {
        var factory = hosts.For(provider);
        var source = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Created, (await source.Client.PostJsonAsync("/api/v1/contacts",
            new { firstName = "=1+1", lastName = "@Formula", emails = new[] { "formula@example.com" }, phones = new[] { "+8613800138000" }, jobTitle = "-CFO", tags = new[] { "a", "b" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await source.Client.PostJsonAsync("/api/v1/contacts",
            new { firstName = "小明", lastName = "王", emails = new[] { "ming@example.cn", "wang@example.cn" }, birthday = "1988-08-08", address = new { city = "杭州", country = "CN" } })).StatusCode);

        foreach (var format in new[] { "csv", "xlsx", "vcf" })
        {
            var file = await source.Client.GetByteArrayAsync(
                $"/api/v1/contacts/export?format={format}&bom=true&columns=firstName,lastName,emails,phones,jobTitle,tags,birthday,address.city,address.country", Ct);
            var target = await factory.SignUpAsync();
            var import = await ImportFileAsync(target, file, $"contacts.{format}", Contacts());
            Assert.True(import["created"]!.GetValue<long>() == 2, $"{format}: {import.ToJsonString()}");

            await using var scope = factory.WorkspaceScope(target.WorkspaceId, out var db);
            var formula = await db.Set<Contact>().SingleAsync(c => c.Emails.Contains("formula@example.com"), Ct);
            Assert.Equal(("=1+1", "@Formula", "+8613800138000"), (formula.FirstName, formula.LastName, formula.Phones.Single()));
            var ming = await db.Set<Contact>().SingleAsync(c => c.LastName == "王", Ct);
            Assert.Equal(["ming@example.cn", "wang@example.cn"], ming.Emails);
            Assert.Equal((new DateOnly(1988, 8, 8), "杭州", "CN"), (ming.Birthday!.Value, ming.City, ming.Country));
            Assert.Equal("-CFO", formula.JobTitle);
            Assert.Equal(["a", "b"], formula.Tags);
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Imported_rows_obey_the_importers_field_rights(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var clerk = await factory.MemberWithRoleAsync(admin, new { contact = new { create = "all", read = "all", update = "all", import = "all" } },
            new { contact = new { jobTitle = "readOnly" } });

        var refused = await ImportAsync(clerk, "Last name,Email,Job title\nOne,one@example.com,Boss\nTwo,two@example.com,\n", Contacts());

        Assert.Equal((1L, 1L), (refused["created"]!.GetValue<long>(), refused["failed"]!.GetValue<long>()));
        var errors = await clerk.Client.GetStringAsync($"/api/v1/imports/{refused["id"]}/errors", Ct);
        Assert.Contains("jobTitle", errors, StringComparison.Ordinal);
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(["two@example.com"], await db.Set<Contact>().Select(c => c.Emails[0]).ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task After_the_undo_period_the_file_and_error_rows_are_deleted_and_undo_is_refused(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var import = await ImportAsync(admin, "Email,Last name\nkeep@example.com,Keep\nbad,Bad\n", Contacts());
        var id = Guid.Parse(import["id"]!.GetValue<string>());
        var files = factory.Services.GetRequiredService<ImportFiles>();
        string stored;
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            stored = (await db.Set<Import>().SingleAsync(i => i.Id == id, Ct)).StoredName;
            // This import only grows old: retention runs over every workspace, and other tests' imports share the database.
            var longAgo = DateTimeOffset.UtcNow - Import.UndoRetention - TimeSpan.FromDays(1);
            await db.Set<Import>().Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CreatedAt, longAgo), Ct);
        }

        var retention = new ImportRetention(factory.Services.GetRequiredService<IServiceScopeFactory>(), files, TimeProvider.System, NullLogger<ImportRetention>.Instance);
        await retention.RunOnceAsync(Ct);

        Assert.False(File.Exists(files.PathOf(admin.WorkspaceId, stored)));
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            Assert.False(await db.Set<ImportError>().AnyAsync(e => e.ImportId == id, Ct));
            Assert.False(await db.Set<ImportRecord>().AnyAsync(e => e.ImportId == id, Ct));
            Assert.Equal(1, await db.Set<Contact>().CountAsync(Ct));
        }

        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostAsync($"/api/v1/imports/{id}/undo", null, Ct)).StatusCode);
    }
}
