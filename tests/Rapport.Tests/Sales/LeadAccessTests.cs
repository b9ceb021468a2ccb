using System.Net;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Sales.LeadApi;

namespace Rapport.Tests.Sales;

/// <summary>Who reaches which leads and lead rules: owner-based levels from the roles, 404 for what one cannot see, 403 for what one may not do, nothing changed by a refusal.</summary>
public sealed class LeadAccessTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every endpoint naming <paramref name="lead"/> or a rule, as <paramref name="who"/>: the ones that answered 2xx.</summary>
    /// <param name="creates">Also try creating rules (not for another workspace's admin: they may, in their own workspace).</param>
    private static async Task<List<string>> AnsweredAsync(Tenant who, Guid lead, Guid scoringRule, Guid assignmentRule, bool creates = true)
    {
        var url = $"/api/v1/leads/{lead}";
        var answers = new List<(string, HttpResponseMessage)>
        {
            ("GET", await who.Client.GetAsync(url, Ct)),
            ("PATCH", await who.Client.PatchJsonAsync(url, new { lastName = "Taken" }, "*")),
            ("convert", await who.Client.ConvertAsync(lead, new { createDeal = true })),
            ("undo", await who.Client.PostJsonAsync($"{url}/convert/undo", new { })),
            ("timeline", await who.Client.GetAsync($"{url}/timeline", Ct)),
            ("DELETE", await who.Client.DeleteAsync(url, "*")),
            ("restore", await who.Client.PostJsonAsync($"{url}/restore", new { })),
            ("PATCH scoring", await who.Client.PatchJsonAsync($"/api/v1/lead-scoring-rules/{scoringRule}", new { points = 99 }, "*")),
            ("DELETE scoring", await who.Client.DeleteAsync($"/api/v1/lead-scoring-rules/{scoringRule}", "*")),
            ("PATCH assignment", await who.Client.PatchJsonAsync($"/api/v1/lead-assignment-rules/{assignmentRule}", new { name = "Taken" }, "*")),
            ("DELETE assignment", await who.Client.DeleteAsync($"/api/v1/lead-assignment-rules/{assignmentRule}", "*")),
        };
        if (creates)
        {
            answers.Add(("POST scoring", await who.Client.PostJsonAsync("/api/v1/lead-scoring-rules", new { name = "Sneaky", filter = Condition("rating", "eq", "hot"), points = 5 })));
            answers.Add(("POST assignment", await who.Client.PostJsonAsync("/api/v1/lead-assignment-rules", new { name = "Sneaky", userId = who.UserId })));
        }

        return [.. answers.Where(a => a.Item2.IsSuccessStatusCode).Select(a => $"{a.Item1}: {(int)a.Item2.StatusCode}")];
    }

    private static async Task<List<string>> NamesAsync(Tenant who) =>
        [.. (await who.Client.GetJsonAsync("/api/v1/leads?sort=lastName&limit=200"))["data"]!.AsArray().Select(l => l!["lastName"]!.GetValue<string>())];

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_rep_sees_and_converts_only_their_own_leads(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var scoring = await admin.Client.CreateRuleAsync("scoring", new { name = "Hot", filter = Condition("rating", "eq", "hot"), points = 10 });
        var assignment = await admin.Client.CreateRuleAsync("assignment", new { name = "Nobody matches", filter = Condition("territory", "eq", "Moon"), userId = admin.UserId });
        var (adminsLead, _, _) = await admin.Client.CreateLeadAsync(new { lastName = "Admins", companyName = "Hidden Co" });
        var (repsLead, _, created) = await rep.Client.CreateLeadAsync(new { lastName = "Reps", rating = "hot" });
        Assert.Equal(rep.UserId, created.Id("ownerId"));
        Assert.Equal(10, created["score"]!.GetValue<int>());

        Assert.Equal(["Reps"], await NamesAsync(rep));
        Assert.Contains("Admins", (await admin.Client.GetJsonAsync("/api/v1/search?q=Hidden&types=lead")).ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Admins", (await rep.Client.GetJsonAsync("/api/v1/search?q=Hidden&types=lead")).ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["Admins", "Reps"], await NamesAsync(manager));
        // Reps read the rules (they explain scores) but do not change them.
        Assert.Single((await rep.Client.GetJsonAsync("/api/v1/lead-scoring-rules"))["data"]!.AsArray());

        var before = await LeadTests.SnapshotAsync(factory, admin.WorkspaceId);
        Assert.Empty(await AnsweredAsync(rep, adminsLead, scoring, assignment));
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PatchJsonAsync($"/api/v1/leads/{repsLead}", new { ownerId = admin.UserId }, "*")).StatusCode);
        Assert.Equal(before, await LeadTests.SnapshotAsync(factory, admin.WorkspaceId));

        var converted = await rep.Client.ConvertAsync(repsLead, new { createDeal = true });
        Assert.Equal(HttpStatusCode.OK, converted.StatusCode);
        var deal = await rep.Client.GetJsonAsync($"/api/v1/deals/{(await converted.JsonAsync()).Id("dealId")}");
        Assert.Equal(rep.UserId, deal.Id("ownerId"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Another_workspace_and_members_without_lead_rights_are_refused_and_nothing_changes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var roleless = await factory.InviteAsync(admin);
        var readOnly = await factory.InviteAsync(admin, "read-only");
        var scoring = await admin.Client.CreateRuleAsync("scoring", new { name = "Hot", filter = Condition("rating", "eq", "hot"), points = 10 });
        var assignment = await admin.Client.CreateRuleAsync("assignment", new { name = "All to admin", userId = admin.UserId });
        var (lead, _, _) = await admin.Client.CreateLeadAsync(new { firstName = "Pro", lastName = "Tected", companyName = "Safe Co" });
        var before = await LeadTests.SnapshotAsync(factory, admin.WorkspaceId);

        Assert.Empty(await AnsweredAsync(stranger, lead, scoring, assignment, creates: false));
        Assert.Empty(await AnsweredAsync(roleless, lead, scoring, assignment));
        Assert.Equal(["GET: 200", "timeline: 200"], await AnsweredAsync(readOnly, lead, scoring, assignment));
        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.Client.PostJsonAsync("/api/v1/leads", new { lastName = "Sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.Client.PostJsonAsync("/api/v1/leads", new { lastName = "Sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await roleless.Client.GetAsync("/api/v1/lead-scoring-rules", Ct)).StatusCode);
        Assert.Empty((await roleless.Client.GetJsonAsync("/api/v1/leads"))["data"]!.AsArray());
        Assert.Empty((await stranger.Client.GetJsonAsync("/api/v1/leads"))["data"]!.AsArray());
        Assert.Empty((await stranger.Client.GetJsonAsync("/api/v1/lead-assignment-rules"))["data"]!.AsArray());
        Assert.Equal(["Tected"], await NamesAsync(readOnly));
        Assert.Equal(before, await LeadTests.SnapshotAsync(factory, admin.WorkspaceId));

        // A stranger's lead is not given to this workspace's users by a rule naming them, nor can their rule name them.
        Assert.Equal(HttpStatusCode.BadRequest, (await stranger.Client.PostJsonAsync("/api/v1/lead-assignment-rules", new { name = "Cross", userId = admin.UserId })).StatusCode);
        var (foreign, _, _) = await stranger.Client.CreateLeadAsync(new { lastName = "Theirs" });
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Client.GetAsync($"/api/v1/leads/{foreign}", Ct)).StatusCode);
        Assert.Equal(before, await LeadTests.SnapshotAsync(factory, admin.WorkspaceId));
    }
}
