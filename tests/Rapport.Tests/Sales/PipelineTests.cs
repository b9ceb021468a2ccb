using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Roles;
using Rapport.Modules.Sales.Pipelines;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>Pipelines: the default one every workspace starts with, their stages and rules, and who may change them.</summary>
public sealed class PipelineTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Stage(string label, string kind = "open", int probability = 0, Guid? id = null, string? labelZh = null, string[]? required = null) =>
        new { id, label, labelZh, kind, probability = kind == "won" ? 100 : probability, requiredFields = required ?? [] };

    private static readonly object[] Reasons = [new { key = "price", label = "Price", labelZh = "价格" }];

    private static async Task<string> SnapshotAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        var pipelines = await db.Set<Pipeline>().Include(p => p.Stages).OrderBy(p => p.Id).ToListAsync(Ct);
        return JsonSerializer.Serialize(new
        {
            pipelines = pipelines.Select(p => new { p.Id, p.Name, p.Version, stages = p.Stages.OrderBy(s => s.Id).Select(s => new { s.Id, s.Label, s.Position, s.RetiredAt }) }),
            audit = await db.Set<AuditEntry>().CountAsync(Ct),
        });
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_new_workspace_starts_with_the_default_pipeline_in_English_and_Chinese(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();

        var pipelines = await admin.Client.PipelinesAsync();

        var pipeline = Assert.Single(pipelines)!;
        Assert.Equal("Sales pipeline", pipeline["name"]!.GetValue<string>());
        Assert.Equal("销售管道", pipeline["nameZh"]!.GetValue<string>());
        var stages = pipeline["stages"]!.AsArray();
        Assert.Equal(["qualification", "needs-analysis", "proposal", "negotiation", "won", "lost"], stages.Select(s => s!["key"]!.GetValue<string>()));
        Assert.Equal(["Qualification", "Needs analysis", "Proposal", "Negotiation", "Won", "Lost"], stages.Select(s => s!["label"]!.GetValue<string>()));
        Assert.All(stages, s => Assert.Contains(s!["labelZh"]!.GetValue<string>(), c => c >= '\u4e00'));
        Assert.Equal(["open", "open", "open", "open", "won", "lost"], stages.Select(s => s!["kind"]!.GetValue<string>()));
        Assert.Equal([10, 20, 50, 80, 100, 0], stages.Select(s => s!["probability"]!.GetValue<int>()));
        Assert.Equal([0, 1, 2, 3, 4, 5], stages.Select(s => s!["position"]!.GetValue<int>()));
        Assert.Contains("price", pipeline["lostReasons"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync($"/api/v1/pipelines/{pipeline["id"]}", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Pipelines_are_created_renamed_reordered_and_deleted_when_unused(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();

        var created = await admin.Client.PostJsonAsync("/api/v1/pipelines", new
        {
            name = "Renewals", nameZh = "续约",
            stages = new[] { Stage("Contacted", probability: 30), Stage("Quoted", probability: 60, required: ["amount", "closeDate"]), Stage("Renewed", "won"), Stage("Churned", "lost") },
            lostReasons = Reasons,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pipeline = await created.JsonAsync();
        var url = $"/api/v1/pipelines/{pipeline["id"]}";
        Assert.Equal(url, created.Headers.Location!.ToString());
        var stages = pipeline["stages"]!.AsArray();
        Assert.Equal(["contacted", "quoted", "renewed", "churned"], stages.Select(s => s!["key"]!.GetValue<string>()));
        Assert.Equal(["amount", "closeDate"], stages[1]!["requiredFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(1, pipeline["position"]!.GetValue<int>());
        Guid IdOf(int i) => Guid.Parse(stages[i]!["id"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.Client.PatchJsonAsync(url, new { name = "x" }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.Client.PatchJsonAsync(url, new { name = "x" }, "\"99\"")).StatusCode);

        // Reorder, add a stage with a Chinese label, leave one out, rename.
        var changed = await admin.Client.PatchJsonAsync(url, new
        {
            name = "Renewals 2027",
            stages = new[] { Stage("Quoted", probability: 70, id: IdOf(1)), Stage("Contacted", probability: 30, id: IdOf(0)), Stage("谈判", probability: 90), Stage("Renewed", "won", id: IdOf(2)), Stage("Churned", "lost", id: IdOf(3)) },
        }, created.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var after = await changed.JsonAsync();
        Assert.Equal("Renewals 2027", after["name"]!.GetValue<string>());
        Assert.Equal("续约", after["nameZh"]!.GetValue<string>()); // a merge patch keeps what it does not name
        Assert.Equal(["quoted", "contacted", "stage-3", "renewed", "churned"], after["stages"]!.AsArray().Select(s => s!["key"]!.GetValue<string>()));
        Assert.Equal(70, after["stages"]![0]!["probability"]!.GetValue<int>());
        Assert.Equal(2, after["version"]!.GetValue<int>());

        var dropped = await admin.Client.PatchJsonAsync(url, new
        {
            stages = new[] { Stage("Quoted", id: IdOf(1)), Stage("Renewed", "won", id: IdOf(2)), Stage("Churned", "lost", id: IdOf(3)) },
        }, changed.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, dropped.StatusCode);
        Assert.Equal(3, (await dropped.JsonAsync())["stages"]!.AsArray().Count);

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.Client.DeleteAsync(url, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync(url, dropped.Headers.ETag!.Tag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Single(await admin.Client.PipelinesAsync());

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var id = Guid.Parse(pipeline["id"]!.GetValue<string>());
        // The second change touched only stages (audited as pipeline-stage rows): the pipeline row itself did not change.
        Assert.Equal(["create", "update", "purge"],
            await db.Set<AuditEntry>().Where(a => a.EntityType == "pipeline" && a.EntityId == id).OrderBy(a => a.At).ThenBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
        Assert.False(await db.Set<PipelineStage>().AnyAsync(s => s.PipelineId == id, Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Invalid_pipelines_are_refused_naming_the_field(string provider)
    {
        var admin = await hosts.For(provider).SignUpAsync();

        async Task<IEnumerable<string>> ErrorsAsync(object body)
        {
            var response = await admin.Client.PostJsonAsync("/api/v1/pipelines", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.JsonAsync())["errors"]!.AsObject().Select(e => e.Key);
        }

        Assert.Contains("stages", await ErrorsAsync(new { name = "Empty", stages = Array.Empty<object>() }));
        Assert.Contains("name", await ErrorsAsync(new { name = " ", stages = new[] { Stage("A"), Stage("W", "won"), Stage("L", "lost") }, lostReasons = Reasons }));
        Assert.Contains("stages", await ErrorsAsync(new { name = "No won", stages = new[] { Stage("A"), Stage("L", "lost") }, lostReasons = Reasons }));
        Assert.Contains("stages[1].probability", await ErrorsAsync(new { name = "P", stages = new[] { Stage("A"), new { label = "W", kind = "won", probability = 50 }, Stage("L", "lost") }, lostReasons = Reasons }));
        Assert.Contains("stages[0].requiredFields", await ErrorsAsync(new { name = "R", stages = new[] { Stage("A", required: ["budget"]), Stage("W", "won"), Stage("L", "lost") }, lostReasons = Reasons }));
        Assert.Contains("stages[0].kind", await ErrorsAsync(new { name = "K", stages = new[] { Stage("A", "maybe"), Stage("W", "won"), Stage("L", "lost") }, lostReasons = Reasons }));
        Assert.Contains("lostReasons", await ErrorsAsync(new { name = "No reasons", stages = new[] { Stage("A"), Stage("W", "won"), Stage("L", "lost") } }));
        Assert.Contains("stages[0].id", await ErrorsAsync(new { name = "Foreign", stages = new[] { Stage("A", id: Guid.NewGuid()), Stage("W", "won"), Stage("L", "lost") }, lostReasons = Reasons }));
        Assert.Contains("workspaceId", await ErrorsAsync(new { name = "Strict", workspaceId = Guid.NewGuid() }));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Stages_holding_deals_stay_and_a_used_or_last_pipeline_is_not_deleted(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (pipelineId, stages) = await admin.Client.DefaultPipelineAsync();
        var url = $"/api/v1/pipelines/{pipelineId}";
        await admin.Client.CreateDealAsync(new { name = "Holds qualification" });
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        var withoutQualification = await admin.Client.PatchJsonAsync(url, new
        {
            stages = new[] { Stage("Proposal", probability: 50, id: stages["proposal"]), Stage("Won", "won", id: stages["won"]), Stage("Lost", "lost", id: stages["lost"]) },
        }, "*");
        Assert.Equal(HttpStatusCode.BadRequest, withoutQualification.StatusCode);
        Assert.Contains("Qualification", (await withoutQualification.JsonAsync())["errors"]!["stages"]![0]!.GetValue<string>());
        var delete = await admin.Client.DeleteAsync(url, "*");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("1 deal", (await delete.JsonAsync())["detail"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));

        var other = await factory.SignUpAsync();
        var (onlyPipeline, _) = await other.Client.DefaultPipelineAsync();
        var last = await other.Client.DeleteAsync($"/api/v1/pipelines/{onlyPipeline}", "*");
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Contains("only pipeline", (await last.JsonAsync())["detail"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_stage_deals_went_through_is_retired_not_removed_and_history_keeps_its_name(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (pipelineId, stages) = await admin.Client.DefaultPipelineAsync();
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Passes through", amount = 10 });
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.MoveDealAsync(deal, stages["needs-analysis"])).StatusCode);

        var changed = await admin.Client.PatchJsonAsync($"/api/v1/pipelines/{pipelineId}", new
        {
            stages = new[] { Stage("Needs analysis", probability: 20, id: stages["needs-analysis"]), Stage("Won", "won", id: stages["won"]), Stage("Lost", "lost", id: stages["lost"]) },
        }, "*");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.DoesNotContain("qualification", (await changed.JsonAsync())["stages"]!.AsArray().Select(s => s!["key"]!.GetValue<string>()));

        var history = (await admin.Client.GetJsonAsync($"/api/v1/deals/{deal}/stage-history"))["data"]!.AsArray();
        Assert.Equal(["Qualification", "Needs analysis"], history.Select(v => v!["stageLabel"]!.GetValue<string>()));
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        Assert.NotNull((await db.Set<PipelineStage>().SingleAsync(s => s.Id == stages["qualification"], Ct)).RetiredAt);
        Assert.False(await db.Set<PipelineStage>().AnyAsync(s => s.Id == stages["proposal"], Ct)); // never entered: gone
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.MoveDealAsync(deal, stages["qualification"])).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Reps_read_pipelines_but_only_managers_change_them_and_other_workspaces_see_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var roleless = await factory.InviteAsync(admin);
        var stranger = await factory.SignUpAsync();
        var (pipelineId, _) = await admin.Client.DefaultPipelineAsync();
        var url = $"/api/v1/pipelines/{pipelineId}";
        var body = new { name = "Theirs", stages = new[] { Stage("A"), Stage("W", "won"), Stage("L", "lost") }, lostReasons = Reasons };
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        Assert.Single(await rep.Client.PipelinesAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PostJsonAsync("/api/v1/pipelines", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PatchJsonAsync(url, new { name = "Mine" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.DeleteAsync(url, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.Client.GetAsync("/api/v1/pipelines", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await roleless.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await roleless.Client.PatchJsonAsync(url, new { name = "Mine" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"{url}/board", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PatchJsonAsync(url, new { name = "Mine" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.DeleteAsync(url, "*")).StatusCode);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));

        Assert.Equal(HttpStatusCode.Created, (await manager.Client.PostJsonAsync("/api/v1/pipelines", body)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Workspaces_and_roles_made_before_sales_get_the_default_pipeline_and_deal_rights_once(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            // As the workspace was before the sales module: no pipeline, built-in roles without deal or pipeline levels.
            db.RemoveRange(await db.Set<Pipeline>().Include(p => p.Stages).ToListAsync(Ct));
            foreach (var role in await db.Set<Role>().Where(r => r.BuiltIn != null && !r.IsAdministrator).ToListAsync(Ct))
            {
                var permissions = role.Permissions.Where(p => p.Key is not ("deal" or "pipeline")).ToDictionary();
                if (role.BuiltIn == "read-only")
                {
                    permissions["deal"] = new() { [AccessAction.Read] = AccessLevel.None }; // an administrator's explicit choice stays
                }

                role.Change(role.Name, false, permissions, role.Fields, role.Capabilities);
            }

            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.GetAsync("/api/v1/pipelines", Ct)).StatusCode);

        var pipelines = new DefaultPipelineBackfill(factory.Services.GetRequiredService<IServiceScopeFactory>(), NullLogger<DefaultPipelineBackfill>.Instance);
        var roles = new BuiltInRoleBackfill(factory.Services.GetRequiredService<IServiceScopeFactory>(), factory.Services.GetRequiredService<AccessCatalog>(),
            NullLogger<BuiltInRoleBackfill>.Instance);
        Assert.True(await pipelines.RunOnceAsync(Ct) >= 1);
        Assert.True(await roles.RunOnceAsync(Ct) >= 1);
        await pipelines.RunOnceAsync(Ct);
        await roles.RunOnceAsync(Ct);

        Assert.Single(await admin.Client.PipelinesAsync());
        Assert.Single(await rep.Client.PipelinesAsync());
        await rep.Client.CreateDealAsync(new { name = "After the backfill" });
        await using var check = factory.WorkspaceScope(admin.WorkspaceId, out var after);
        var builtIn = await after.Set<Role>().Where(r => r.BuiltIn != null).ToDictionaryAsync(r => r.BuiltIn!, Ct);
        Assert.Equal(AccessLevel.Own, builtIn["sales-rep"].LevelFor("deal", AccessAction.Read));
        Assert.Equal(AccessLevel.All, builtIn["sales-rep"].LevelFor("pipeline", AccessAction.Read));
        Assert.Equal(AccessLevel.None, builtIn["sales-rep"].LevelFor("pipeline", AccessAction.Update));
        Assert.Equal(AccessLevel.All, builtIn["sales-manager"].LevelFor("pipeline", AccessAction.Update));
        Assert.Equal(AccessLevel.None, builtIn["read-only"].LevelFor("deal", AccessAction.Read));
    }
}
