using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Modules.Sales.Deals;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>Deals: create, read, list, change, stage rules and history, trash, links to companies and contacts, the board.</summary>
public sealed class DealTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Filter(object tree) => Uri.EscapeDataString(JsonSerializer.Serialize(tree));

    private static async Task<string> SnapshotAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        return JsonSerializer.Serialize(new
        {
            deals = await db.Set<Deal>().IgnoreQueryFilters([Rapport.Kernel.Data.RapportDbContext.TrashFilter]).OrderBy(d => d.Id)
                .Select(d => new { d.Id, d.Name, d.StageId, d.Status, d.LostReason, d.Amount, d.Version, d.DeletedAt }).ToListAsync(Ct),
            visits = await db.Set<DealStageVisit>().OrderBy(v => v.Id).Select(v => new { v.Id, v.StageId, v.LeftAt }).ToListAsync(Ct),
            audit = await db.Set<AuditEntry>().CountAsync(Ct),
        });
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_deal_starts_in_the_first_stage_in_the_base_currency_owned_by_its_creator(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (pipeline, stages) = await admin.Client.DefaultPipelineAsync();

        var (id, etag, created) = await admin.Client.CreateDealAsync(new { name = "  Fleet telematics  ", amount = 1234.5m, competitors = new[] { "Globex", " globex " } });

        Assert.Equal("Fleet telematics", created["name"]!.GetValue<string>());
        Assert.Equal("USD", created["currency"]!.GetValue<string>());
        Assert.Equal(pipeline.ToString(), created["pipelineId"]!.GetValue<string>());
        Assert.Equal(stages["qualification"].ToString(), created["stageId"]!.GetValue<string>());
        Assert.Equal("open", created["status"]!.GetValue<string>());
        Assert.Equal(10, created["probability"]!.GetValue<int>());
        Assert.Equal(admin.UserId.ToString(), created["ownerId"]!.GetValue<string>());
        Assert.Equal(["Globex"], created["competitors"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("\"1\"", etag);
        var read = await admin.Client.GetJsonAsync($"/api/v1/deals/{id}");
        Assert.Equal(1234.5m, read["amount"]!.GetValue<decimal>());

        var history = (await admin.Client.GetJsonAsync($"/api/v1/deals/{id}/stage-history"))["data"]!.AsArray();
        var visit = Assert.Single(history)!;
        Assert.Equal("qualification", visit["stageKey"]!.GetValue<string>());
        Assert.Null(visit["leftAt"]);
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var audit = await db.Set<AuditEntry>().SingleAsync(a => a.EntityType == "deal" && a.EntityId == id, Ct);
        Assert.Equal("create", audit.Action);
        Assert.Contains("\"amount\"", audit.Changes, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Entering_a_stage_needs_its_required_fields_and_the_refusal_names_them_and_changes_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (_, stages) = await admin.Client.DefaultPipelineAsync();
        var (deal, etag, _) = await admin.Client.CreateDealAsync(new { name = "Needs an amount" });
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        var refused = await admin.Client.MoveDealAsync(deal, stages["negotiation"]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var problem = await refused.JsonAsync();
        Assert.Equal("https://rapport.dev/problems/validation", problem["type"]!.GetValue<string>());
        Assert.Equal(["amount", "closeDate"], problem["missingFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(stages["negotiation"].ToString(), problem["stageId"]!.GetValue<string>());
        Assert.Contains("Amount, Close date", problem["detail"]!.GetValue<string>());
        Assert.Contains("Negotiation", problem["errors"]!["amount"]![0]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["closeDate"]);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));

        // Creating straight into the stage is held to the same rule; so is a PATCH of stageId.
        var direct = await admin.Client.PostJsonAsync("/api/v1/deals", new { name = "Straight in", stageId = stages["proposal"] });
        Assert.Equal(HttpStatusCode.BadRequest, direct.StatusCode);
        Assert.Equal(["amount"], (await direct.JsonAsync())["missingFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PatchJsonAsync($"/api/v1/deals/{deal}", new { stageId = stages["proposal"] }, etag)).StatusCode);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));

        var filled = await admin.Client.PatchJsonAsync($"/api/v1/deals/{deal}", new { amount = 5000, closeDate = "2027-03-31" }, etag);
        Assert.Equal(HttpStatusCode.OK, filled.StatusCode);
        var moved = await admin.Client.MoveDealAsync(deal, stages["negotiation"]);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var body = await moved.JsonAsync();
        Assert.Equal(stages["negotiation"].ToString(), body["stageId"]!.GetValue<string>());
        Assert.Equal(80, body["probability"]!.GetValue<int>());
        Assert.Equal("\"3\"", moved.Headers.ETag!.Tag);

        // An action endpoint takes an optional If-Match: a stale one is refused.
        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/deals/{deal}/stage") { Content = System.Net.Http.Json.JsonContent.Create(new { stageId = stages["proposal"] }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.Client.SendAsync(stale, Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_lost_stage_needs_one_of_the_pipelines_lost_reasons(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (_, stages) = await admin.Client.DefaultPipelineAsync();
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Going to lose" });
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        var noReason = await admin.Client.MoveDealAsync(deal, stages["lost"]);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var problem = await noReason.JsonAsync();
        Assert.Equal(["lostReason"], problem["missingFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Contains("price", problem["errors"]!["lostReason"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.MoveDealAsync(deal, stages["lost"], "the weather")).StatusCode);
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));

        var lost = await (await admin.Client.MoveDealAsync(deal, stages["lost"], "competitor")).JsonAsync();
        Assert.Equal("lost", lost["status"]!.GetValue<string>());
        Assert.Equal("competitor", lost["lostReason"]!.GetValue<string>());
        Assert.Equal(0, lost["probability"]!.GetValue<int>());
        var relabeled = await admin.Client.PatchJsonAsync($"/api/v1/deals/{deal}", new { lostReason = "price" }, "*");
        Assert.Equal("price", (await relabeled.JsonAsync())["lostReason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PatchJsonAsync($"/api/v1/deals/{deal}", new { lostReason = "nonsense" }, "*")).StatusCode);

        var reopened = await (await admin.Client.MoveDealAsync(deal, stages["qualification"])).JsonAsync();
        Assert.Equal("open", reopened["status"]!.GetValue<string>());
        Assert.Null(reopened["lostReason"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Stage_history_keeps_when_each_stage_was_entered_and_left(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (_, stages) = await admin.Client.DefaultPipelineAsync();
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Travels", amount = 100, closeDate = "2027-01-31" });
        foreach (var key in new[] { "needs-analysis", "proposal", "won" })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.Client.MoveDealAsync(deal, stages[key])).StatusCode);
        }

        var history = (await admin.Client.GetJsonAsync($"/api/v1/deals/{deal}/stage-history"))["data"]!.AsArray();

        Assert.Equal(["qualification", "needs-analysis", "proposal", "won"], history.Select(v => v!["stageKey"]!.GetValue<string>()));
        for (var i = 0; i < 3; i++)
        {
            var left = history[i]!["leftAt"]!.GetValue<DateTimeOffset>();
            Assert.Equal(history[i + 1]!["enteredAt"]!.GetValue<DateTimeOffset>(), left);
            Assert.True(history[i]!["secondsInStage"]!.GetValue<long>() >= 0);
        }

        Assert.Null(history[3]!["leftAt"]);
        Assert.Equal("won", history[3]!["kind"]!.GetValue<string>());
        var deal2 = await admin.Client.GetJsonAsync($"/api/v1/deals/{deal}");
        Assert.Equal("won", deal2["status"]!.GetValue<string>());
        Assert.Equal(history[3]!["enteredAt"]!.GetValue<DateTimeOffset>(), deal2["stageEnteredAt"]!.GetValue<DateTimeOffset>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_stage_may_require_a_custom_field_and_deals_carry_filterable_custom_fields(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (pipeline, stages) = await admin.Client.DefaultPipelineAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/custom-fields",
            new { entityType = "deal", key = "budget", type = "yesNo", label = "Budget confirmed" })).StatusCode);
        var current = await admin.Client.GetJsonAsync($"/api/v1/pipelines/{pipeline}");
        var newStages = current["stages"]!.AsArray().Select(s => s!["key"]!.GetValue<string>() == "needs-analysis"
            ? new { id = Guid.Parse(s!["id"]!.GetValue<string>()), label = "Needs analysis", kind = "open", probability = 20, requiredFields = new[] { "custom.budget", "nextStep" } }
            : new { id = Guid.Parse(s!["id"]!.GetValue<string>()), label = s!["label"]!.GetValue<string>(), kind = s["kind"]!.GetValue<string>(), probability = s["probability"]!.GetValue<int>(),
                requiredFields = s["requiredFields"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray() }).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync($"/api/v1/pipelines/{pipeline}", new { stages = newStages }, "*")).StatusCode);
        var (deal, _, _) = await admin.Client.CreateDealAsync(new { name = "Custom" });
        var (other, _, _) = await admin.Client.CreateDealAsync(new { name = "Other", custom = new { budget = false } });

        var refused = await (await admin.Client.MoveDealAsync(deal, stages["needs-analysis"])).JsonAsync();
        Assert.Equal(["custom.budget", "nextStep"], refused["missingFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Contains("Budget confirmed", refused["errors"]!["custom.budget"]![0]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync($"/api/v1/deals/{deal}", new { custom = new { budget = true }, nextStep = "Demo" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.MoveDealAsync(deal, stages["needs-analysis"])).StatusCode);
        var confirmed = (await admin.Client.GetJsonAsync($"/api/v1/deals?filter={Filter(new { field = "custom.budget", op = "eq", value = true })}"))["data"]!.AsArray();
        Assert.Equal([deal.ToString()], confirmed.Select(d => d!["id"]!.GetValue<string>()));
        Assert.DoesNotContain(other.ToString(), confirmed.Select(d => d!["id"]!.GetValue<string>()));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Deals_list_with_filters_sort_and_keyset_pages_and_the_trash(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (_, stages) = await admin.Client.DefaultPipelineAsync();
        foreach (var (name, amount) in new[] { ("Small", 100m), ("Medium", 2500.75m), ("Large", 90000m), ("Unpriced", 0m) })
        {
            await admin.Client.CreateDealAsync(amount == 0 ? new { name } : (object)new { name, amount });
        }

        var (euro, euroTag, _) = await admin.Client.CreateDealAsync(new { name = "Euro", amount = 700, currency = "eur" });
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.MoveDealAsync(euro, stages["lost"], "timing")).StatusCode);

        var byAmount = (await admin.Client.GetJsonAsync("/api/v1/deals?sort=-amount&limit=2"))!;
        Assert.Equal(["Large", "Medium"], byAmount["data"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()));
        var next = (await admin.Client.GetJsonAsync($"/api/v1/deals?sort=-amount&limit=10&cursor={byAmount["nextCursor"]}"))["data"]!.AsArray();
        Assert.Equal(["Euro", "Small", "Unpriced"], next.Select(d => d!["name"]!.GetValue<string>())); // nulls last
        var big = await admin.Client.GetJsonAsync($"/api/v1/deals?filter={Filter(new { and = new object[] { new { field = "amount", op = "gte", value = 1000 }, new { field = "status", op = "eq", value = "open" } } })}&sort=name");
        Assert.Equal(["Large", "Medium"], big["data"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()));
        var lost = await admin.Client.GetJsonAsync($"/api/v1/deals?filter={Filter(new { field = "stageId", op = "eq", value = stages["lost"] })}");
        Assert.Equal("EUR", Assert.Single(lost["data"]!.AsArray())!["currency"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.GetAsync($"/api/v1/deals?filter={Filter(new { field = "secret", op = "eq", value = 1 })}", Ct)).StatusCode);

        var current = await admin.Client.GetAsync($"/api/v1/deals/{euro}", Ct);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await admin.Client.DeleteAsync($"/api/v1/deals/{euro}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await admin.Client.DeleteAsync($"/api/v1/deals/{euro}", euroTag)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.DeleteAsync($"/api/v1/deals/{euro}", current.Headers.ETag!.Tag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/api/v1/deals/{euro}", Ct)).StatusCode);
        Assert.Equal(["Euro"], (await admin.Client.GetJsonAsync("/api/v1/deals?trash=true"))["data"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostJsonAsync($"/api/v1/deals/{euro}/restore", new { })).StatusCode);
        Assert.Equal(5, (await admin.Client.GetJsonAsync("/api/v1/deals"))["data"]!.AsArray().Count);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Deals_link_companies_and_contacts_of_the_workspace_only_and_follow_their_merges(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Acme" });
        var (duplicate, _) = await admin.Client.CreateCompanyAsync(new { name = "Acme Inc" });
        var (foreign, _) = await stranger.Client.CreateCompanyAsync(new { name = "Elsewhere" });
        var contact = Guid.Parse((await (await admin.Client.PostJsonAsync("/api/v1/contacts", new { firstName = "Li", lastName = "Wang" })).JsonAsync())["id"]!.GetValue<string>());

        var refused = await admin.Client.PostJsonAsync("/api/v1/deals", new { name = "Foreign", companyId = foreign, contacts = new[] { new { contactId = Guid.NewGuid() } } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.JsonAsync())["errors"]!;
        Assert.NotNull(errors["companyId"]);
        Assert.NotNull(errors["contacts"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/deals",
            new { name = "Bad role", contacts = new[] { new { contactId = contact, role = "king" } } })).StatusCode);

        var (deal, _, body) = await admin.Client.CreateDealAsync(new { name = "With Acme", companyId = duplicate, contacts = new[] { new { contactId = contact, role = "champion" } } });
        Assert.Equal("champion", body["contacts"]![0]!["role"]!.GetValue<string>());

        var merge = await admin.Client.PostJsonAsync("/api/v1/companies/merge", new { survivorId = company, mergedIds = new[] { duplicate } });
        Assert.Equal(HttpStatusCode.OK, merge.StatusCode);
        Assert.Equal(company.ToString(), (await admin.Client.GetJsonAsync($"/api/v1/deals/{deal}"))["companyId"]!.GetValue<string>());

        // A note written on the deal shows on its timeline, with the creation.
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PostJsonAsync("/api/v1/notes",
            new { html = "<p>Budget approved</p>", links = new[] { new { entityType = "deal", recordId = deal } } })).StatusCode);
        var timeline = (await admin.Client.GetJsonAsync($"/api/v1/deals/{deal}/timeline"))["data"]!.AsArray();
        Assert.Contains(timeline, e => e!["kind"]!.GetValue<string>() == "note");
        Assert.Contains(timeline, e => e!["kind"]!.GetValue<string>() == "created");
        var found = await admin.Client.GetJsonAsync("/api/v1/search?q=Acme&types=deal");
        Assert.Contains("With Acme", found.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_board_counts_and_totals_each_stage_in_the_base_currency(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (pipeline, stages) = await admin.Client.DefaultPipelineAsync();
        await admin.Client.CreateDealAsync(new { name = "A", amount = 100.005m });
        await admin.Client.CreateDealAsync(new { name = "B", amount = 200 });
        await admin.Client.CreateDealAsync(new { name = "C", amount = 999, currency = "EUR" });
        await admin.Client.CreateDealAsync(new { name = "D" });
        await admin.Client.CreateDealAsync(new { name = "E", amount = 50, stageId = stages["proposal"] });

        var board = await admin.Client.GetJsonAsync($"/api/v1/pipelines/{pipeline}/board?cards=2");

        Assert.Equal("USD", board["currency"]!.GetValue<string>());
        var columns = board["columns"]!.AsArray();
        Assert.Equal(6, columns.Count);
        var qualification = columns[0]!;
        Assert.Equal(4, qualification["count"]!.GetValue<int>());
        Assert.Equal(300.01m, qualification["total"]!["amount"]!.GetValue<decimal>()); // 300.005 rounded half away from zero
        Assert.Equal("USD", qualification["total"]!["currency"]!.GetValue<string>());
        Assert.Equal(1, qualification["notInTotal"]!.GetValue<int>()); // the EUR deal: no EUR rate
        Assert.Equal("EUR", qualification["missing"]![0]!["currency"]!.GetValue<string>());
        Assert.Equal(999m, qualification["missing"]![0]!["amount"]!.GetValue<decimal>());
        Assert.Equal(2, qualification["deals"]!.AsArray().Count);
        Assert.Equal(50m, columns[2]!["total"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(0, columns[5]!["count"]!.GetValue<int>());
        Assert.Equal(0m, columns[5]!["total"]!["amount"]!.GetValue<decimal>());

        var filtered = await admin.Client.GetJsonAsync($"/api/v1/pipelines/{pipeline}/board?filter={Filter(new { field = "name", op = "eq", value = "B" })}");
        Assert.Equal(1, filtered["columns"]![0]!["count"]!.GetValue<int>());
        Assert.Equal(200m, filtered["columns"]![0]!["total"]!["amount"]!.GetValue<decimal>());
    }
}
