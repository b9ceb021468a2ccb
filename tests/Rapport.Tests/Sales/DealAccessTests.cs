using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Modules.Sales.Deals;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>Who reaches which deals: owner-based levels from the roles, 404 for what one cannot see, 403 for what one may not do, and nothing changed by a refusal.</summary>
public sealed class DealAccessTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> SnapshotAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        return JsonSerializer.Serialize(new
        {
            deals = await db.Set<Deal>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(d => d.Id)
                .Select(d => new { d.Id, d.Name, d.StageId, d.OwnerId, d.Version, d.DeletedAt }).ToListAsync(Ct),
            visits = await db.Set<DealStageVisit>().CountAsync(Ct),
            shares = await db.Set<Rapport.Kernel.Security.Sharing.RecordShare>().CountAsync(Ct),
            audit = await db.Set<AuditEntry>().CountAsync(Ct),
        });
    }

    private static async Task<List<string>> NamesAsync(Tenant who) =>
        [.. (await who.Client.GetJsonAsync("/api/v1/deals?sort=name&limit=200"))["data"]!.AsArray().Select(d => d!["name"]!.GetValue<string>())];

    /// <summary>Every deal endpoint naming <paramref name="deal"/>, as <paramref name="who"/>: none may answer 2xx.</summary>
    private static async Task<List<string>> AnsweredAsync(Tenant who, Guid deal, Guid stage)
    {
        var url = $"/api/v1/deals/{deal}";
        var answers = new List<(string, HttpResponseMessage)>
        {
            ("GET", await who.Client.GetAsync(url, Ct)),
            ("PATCH", await who.Client.PatchJsonAsync(url, new { name = "Taken" }, "*")),
            ("stage", await who.Client.MoveDealAsync(deal, stage)),
            ("history", await who.Client.GetAsync($"{url}/stage-history", Ct)),
            ("timeline", await who.Client.GetAsync($"{url}/timeline", Ct)),
            ("shares", await who.Client.PostJsonAsync($"{url}/shares", new { userId = who.UserId, access = "edit" })),
            ("DELETE", await who.Client.DeleteAsync(url, "*")),
            ("restore", await who.Client.PostJsonAsync($"{url}/restore", new { })),
        };
        return [.. answers.Where(a => a.Item2.IsSuccessStatusCode).Select(a => $"{a.Item1}: {(int)a.Item2.StatusCode}")];
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_rep_sees_and_moves_only_their_own_deals(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var (pipeline, stages) = await admin.Client.DefaultPipelineAsync();
        var (adminsDeal, _, _) = await admin.Client.CreateDealAsync(new { name = "Admin's deal", amount = 1000 });
        var (repsDeal, _, created) = await rep.Client.CreateDealAsync(new { name = "Rep's deal", amount = 10 });
        Assert.Equal(rep.UserId.ToString(), created["ownerId"]!.GetValue<string>());

        Assert.Equal(["Rep's deal"], await NamesAsync(rep));
        Assert.Equal(["Admin's deal", "Rep's deal"], await NamesAsync(manager));
        var repsBoard = await rep.Client.GetJsonAsync($"/api/v1/pipelines/{pipeline}/board");
        Assert.Equal(1, repsBoard["columns"]![0]!["count"]!.GetValue<int>());
        Assert.Equal(10m, repsBoard["columns"]![0]!["total"]!["amount"]!.GetValue<decimal>());
        var search = await rep.Client.GetJsonAsync("/api/v1/search?q=deal&types=deal");
        Assert.DoesNotContain("Admin's", search.ToJsonString(), StringComparison.Ordinal);

        var before = await SnapshotAsync(factory, admin.WorkspaceId);
        Assert.Empty(await AnsweredAsync(rep, adminsDeal, stages["needs-analysis"]));
        var handOver = await rep.Client.PatchJsonAsync($"/api/v1/deals/{repsDeal}", new { ownerId = admin.UserId }, "*");
        Assert.Equal(HttpStatusCode.Forbidden, handOver.StatusCode); // giving it away needs the assign right
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));

        Assert.Equal(HttpStatusCode.OK, (await rep.Client.MoveDealAsync(repsDeal, stages["needs-analysis"])).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Another_workspace_and_members_without_deal_rights_are_refused_and_nothing_changes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var roleless = await factory.InviteAsync(admin);
        var readOnly = await factory.InviteAsync(admin, "read-only");
        var (_, stages) = await admin.Client.DefaultPipelineAsync();
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Protected deal", amount = 5 });
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        Assert.Empty(await AnsweredAsync(stranger, deal, stages["needs-analysis"]));
        Assert.Empty(await AnsweredAsync(roleless, deal, stages["needs-analysis"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.Client.PostJsonAsync("/api/v1/deals", new { name = "Sneaky" })).StatusCode);
        Assert.Empty((await roleless.Client.GetJsonAsync("/api/v1/deals"))["data"]!.AsArray());
        Assert.Empty((await stranger.Client.GetJsonAsync("/api/v1/deals"))["data"]!.AsArray());
        // A stranger naming this workspace's stage in their own deal is refused too.
        Assert.Equal(HttpStatusCode.BadRequest, (await stranger.Client.PostJsonAsync("/api/v1/deals", new { name = "Cross", stageId = stages["qualification"] })).StatusCode);

        Assert.Equal(["Protected deal"], await NamesAsync(readOnly));
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.Client.PatchJsonAsync($"/api/v1/deals/{deal}", new { name = "Taken" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.Client.MoveDealAsync(deal, stages["needs-analysis"])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.Client.DeleteAsync($"/api/v1/deals/{deal}", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.Client.PostJsonAsync("/api/v1/deals", new { name = "Mine" })).StatusCode);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Roles_hide_amounts_and_lock_stages(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (pipeline, stages) = await admin.Client.DefaultPipelineAsync();
        var all = new[] { "create", "read", "update", "delete" }.ToDictionary(a => a, _ => "all");
        var member = await factory.MemberWithRoleAsync(admin, new { deal = all, pipeline = new { read = "all" } },
            new { deal = new { amount = "hidden", stageId = "readOnly" } });
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Priced", amount = 777.77m });
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        var read = await member.Client.GetJsonAsync($"/api/v1/deals/{deal}");
        Assert.Null(read["amount"]);
        Assert.Equal("Priced", read["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await member.Client.GetAsync($"/api/v1/deals?sort=amount", Ct)).StatusCode);
        var board = await member.Client.GetJsonAsync($"/api/v1/pipelines/{pipeline}/board");
        Assert.Null(board["columns"]![0]!["total"]);
        // No id or time in the answer holds "777.77" (a bare "777" failed when a random id held it).
        Assert.DoesNotContain("777.77", board.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Client.MoveDealAsync(deal, stages["needs-analysis"])).StatusCode);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
        Assert.Equal(HttpStatusCode.OK, (await member.Client.PatchJsonAsync($"/api/v1/deals/{deal}", new { nextStep = "Call" }, "*")).StatusCode);
    }
}
