using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Modules.Sales.Leads;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Sales.LeadApi;

namespace Rapport.Tests.Sales;

/// <summary>Leads imported from a file go through the lead use cases: assignment and scoring rules, dedupe by key, undo, rights.</summary>
public sealed class LeadImportTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (long Created, long Updated, long Skipped, long Failed) Counts(JsonNode import) =>
        (import["created"]!.GetValue<long>(), import["updated"]!.GetValue<long>(), import["skipped"]!.GetValue<long>(), import["failed"]!.GetValue<long>());

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Imported_leads_are_assigned_and_scored_by_the_rules_deduplicated_by_email_and_undone(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var germany = await factory.InviteAsync(admin, "sales-rep");
        await admin.Client.CreateRuleAsync("assignment", new { name = "Germany", filter = Condition("country", "eq", "DE"), userId = germany.UserId });
        await admin.Client.CreateRuleAsync("scoring", new { name = "Hot", filter = Condition("rating", "eq", "hot"), points = 30 });
        var (existingId, _, _) = await admin.Client.CreateLeadAsync(new { lastName = "Existing", emails = new[] { "existing@example.com" } });
        const string Csv = "姓名,公司,邮箱,国家,评级,来源\n" +
                           "Max Weber,Weber GmbH,max@weber.de,DE,Hot,Event\n" +
                           "王小明,小明科技,xiaoming@example.cn,CN,,\n" +
                           "Again,,EXISTING@example.com,,,\n" +
                           "Max Twice,,MAX@weber.de,,,\n" +
                           "Bad Rating,,bad@example.com,,lukewarm,\n";

        var preview = await ImportTests.ImportAsync(admin, Csv, new Dictionary<string, string> { ["entity"] = "lead" }, "leads.csv");

        Assert.Equal((2, 0, 2, 1), Counts(preview));
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            var max = await db.Set<Lead>().SingleAsync(l => l.LastName == "Weber", Ct);
            Assert.Equal(("Max", "Weber GmbH", "DE", "hot", "event"), (max.FirstName, max.CompanyName, max.Country, max.Rating, max.Source));
            Assert.Equal((germany.UserId, 30), (max.OwnerId, max.Score));
            Assert.NotNull(max.AssignedByRuleId);
            var wang = await db.Set<Lead>().SingleAsync(l => l.LastName == "王", Ct);
            Assert.Equal(("小明", "小明科技", admin.UserId, 0), (wang.FirstName, wang.CompanyName, wang.OwnerId, wang.Score));
            Assert.Equal(3, await db.Set<Lead>().CountAsync(Ct));
        }

        var errors = await admin.Client.GetStringAsync($"/api/v1/imports/{preview["id"]}/errors", Ct);
        Assert.Contains("Rating must be one of", errors, StringComparison.Ordinal);
        Assert.Contains("Duplicate: a lead with this email exists already", errors, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/v1/imports/{preview["id"]}/undo", null, Ct)).StatusCode);
        var undone = await ImportTests.FinishedAsync(admin, Guid.Parse(preview["id"]!.GetValue<string>()), "undo");
        Assert.Equal("completed", undone["undo"]!["status"]!.GetValue<string>());
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            Assert.Equal([existingId], await db.Set<Lead>().Select(l => l.Id).ToListAsync(Ct));
            Assert.Equal(3, await db.Set<Lead>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).CountAsync(Ct));
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Upsert_by_phone_changes_only_filled_columns_and_undo_puts_them_back(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (id, _, _) = await admin.Client.CreateLeadAsync(new { lastName = "Chen", phones = new[] { "+8613900139000" }, jobTitle = "Sales", industry = "Retail" });
        const string Csv = "Last name,Phone,Job title,Industry,Status\nChen,+86 139 0013 9000,Director,,working\nLi,+86 137 0013 7000,,,\n";

        var import = await ImportTests.ImportAsync(admin, Csv, new Dictionary<string, string> { ["entity"] = "lead", ["mode"] = "upsert", ["key"] = "phone" }, "leads.csv");

        Assert.Equal((1, 1, 0, 0), Counts(import));
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            var chen = await db.Set<Lead>().SingleAsync(l => l.Id == id, Ct);
            Assert.Equal(("Director", "Retail", "working"), (chen.JobTitle, chen.Industry, chen.Status));
        }

        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/v1/imports/{import["id"]}/undo", null, Ct)).StatusCode);
        await ImportTests.FinishedAsync(admin, Guid.Parse(import["id"]!.GetValue<string>()), "undo");
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            var chen = await db.Set<Lead>().SingleAsync(l => l.Id == id, Ct);
            Assert.Equal(("Sales", "Retail", "new"), (chen.JobTitle, chen.Industry, chen.Status));
            Assert.False(await db.Set<Lead>().AnyAsync(l => l.LastName == "Li", Ct));
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Members_without_the_import_or_the_lead_create_right_import_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var importer = await factory.MemberWithRoleAsync(admin, new { lead = new { read = "all", import = "all" } });
        const string Csv = "Email,Last name\nnew@example.com,New\n";

        var refused = await ImportTests.PostImportAsync(rep, Csv, new Dictionary<string, string> { ["entity"] = "lead" }, "leads.csv");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var import = await ImportTests.ImportAsync(importer, Csv, new Dictionary<string, string> { ["entity"] = "lead" }, "leads.csv");
        Assert.Equal((0, 0, 0, 1), Counts(import));
        var errors = await importer.Client.GetStringAsync($"/api/v1/imports/{import["id"]}/errors", Ct);
        Assert.Contains("do not allow you to create leads", errors, StringComparison.Ordinal);

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.Equal(0, await db.Set<Lead>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).CountAsync(Ct));
    }
}
