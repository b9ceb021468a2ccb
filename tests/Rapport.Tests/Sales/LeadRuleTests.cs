using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Modules.Sales.Leads;
using Rapport.Tests.Infrastructure;
using static Rapport.Tests.Sales.LeadApi;

namespace Rapport.Tests.Sales;

/// <summary>Lead-scoring rules (points, breakdown, decay on a test clock) and lead-assignment rules (filter, round-robin, cap).</summary>
public sealed class LeadRuleTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0, 20)]
    [InlineData(6.9, 20)]
    [InlineData(7, 15)]
    [InlineData(14, 10)]
    [InlineData(27.99, 5)]
    [InlineData(28, 0)]
    [InlineData(365, 0)]
    public void Points_lose_their_percentage_for_every_full_period_and_stop_at_zero(double days, int expected)
    {
        var rule = LeadScoringRule.Create(Guid.NewGuid(), new LeadScoringRuleFields("Referral", null, 20, DecayPercent: 25, DecayEveryDays: 7));
        var created = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, rule.PointsAt(created, created.AddDays(days)));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_leads_score_sums_the_matching_rules_shows_them_and_decays_with_time(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var hot = await admin.Client.CreateRuleAsync("scoring", new { name = "Hot", filter = Condition("rating", "eq", "hot"), points = 30 });
        var referral = await admin.Client.CreateRuleAsync("scoring", new
        {
            name = "Referral", filter = Condition("source", "eq", "referral"), points = 20, decayPercent = 50, decayEveryDays = 7, decayFrom = "created",
        });
        await admin.Client.CreateRuleAsync("scoring", new { name = "Free mail", filter = new { and = new[] { Condition("country", "eq", "CN"), Condition("rating", "isNull", true) } }, points = -5 });
        var refused = await admin.Client.PostJsonAsync("/api/v1/lead-scoring-rules", new { name = "Bad", filter = Condition("shoeSize", "eq", "42"), points = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("shoeSize", (await refused.JsonAsync())["errors"]!["filter"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/lead-scoring-rules", new { name = "No period", filter = Condition("rating", "eq", "hot"), points = 5, decayPercent = 10 })).StatusCode);

        var (lead, etag, created) = await admin.Client.CreateLeadAsync(new { lastName = "Scored", rating = "hot", source = "referral" });
        Assert.Equal(50, created["score"]!.GetValue<int>());
        Assert.Equal([hot, referral], created["scoreBreakdown"]!.AsArray().Select(p => p!.Id("ruleId")).Order());
        var changed = await (await admin.Client.PatchJsonAsync($"/api/v1/leads/{lead}", new { rating = (string?)null, country = "CN" }, etag)).JsonAsync();
        Assert.Equal(15, changed["score"]!.GetValue<int>());
        var read = await admin.Client.GetJsonAsync($"/api/v1/leads/{lead}");
        Assert.Equal(["Free mail", "Referral"], read["scoreBreakdown"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Order());
        var sorted = await admin.Client.GetJsonAsync("/api/v1/leads?sort=-score&filter=" + Uri.EscapeDataString("{\"field\":\"score\",\"op\":\"gte\",\"value\":10}"));
        Assert.Equal(lead, Assert.Single(sorted["data"]!.AsArray())!.Id("id"));

        // The same rules on a test clock: eight days after the lead was created the referral points are halved, fifteen days after they are gone.
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var stored = await db.Set<Lead>().SingleAsync(l => l.Id == lead, Ct);
        var rules = await db.Set<LeadScoringRule>().ToListAsync(Ct);
        Assert.Equal(15, stored.Score);
        Assert.Equal(5, new LeadScorer(rules, stored.CreatedAt.AddDays(8)).Score(stored).Total);
        var later = new LeadScorer(rules, stored.CreatedAt.AddDays(15)).Score(stored);
        Assert.Equal(-5, later.Total);
        Assert.Equal(0, later.Parts.Single(p => p.RuleId == referral).Applied);
        Assert.Equal(20, later.Parts.Single(p => p.RuleId == referral).Points);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Assignment_rules_go_by_filter_then_round_robin_in_a_team_skipping_users_at_their_cap(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var germany = await factory.InviteAsync(admin, "sales-rep");
        var reps = new[] { await factory.InviteAsync(admin, "sales-rep"), await factory.InviteAsync(admin, "sales-rep"), await factory.InviteAsync(admin, "sales-rep") };
        var team = (await (await admin.Client.PostJsonAsync("/api/v1/teams", new { name = "Inside sales", memberIds = reps.Select(r => r.UserId) })).JsonAsync()).Id("id");
        var byCountry = await admin.Client.CreateRuleAsync("assignment", new { name = "Germany", filter = Condition("country", "eq", "DE"), userId = germany.UserId, maxOpenLeads = 1 });
        var roundRobin = await admin.Client.CreateRuleAsync("assignment", new { name = "Everyone else", teamId = team, maxOpenLeads = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Client.PostJsonAsync("/api/v1/lead-assignment-rules", new { name = "Both", userId = germany.UserId, teamId = team })).StatusCode);
        var rules = (await admin.Client.GetJsonAsync("/api/v1/lead-assignment-rules"))["data"]!.AsArray();
        Assert.Equal([byCountry, roundRobin], rules.Select(r => r!.Id("id")));

        async Task<(Guid? Owner, Guid? Team, Guid? Rule)> AssignedAsync(object body)
        {
            var (_, _, lead) = await admin.Client.CreateLeadAsync(body);
            return (lead["ownerId"] is { } o ? Guid.Parse(o.GetValue<string>()) : null, lead["teamId"] is { } t ? Guid.Parse(t.GetValue<string>()) : null,
                lead["assignedByRuleId"] is { } r ? Guid.Parse(r.GetValue<string>()) : null);
        }

        Assert.Equal((germany.UserId, (Guid?)null, byCountry), await AssignedAsync(new { lastName = "Berlin", country = "DE" }));
        // An owner given by the caller wins over the rules.
        Assert.Equal((admin.UserId, (Guid?)null, (Guid?)null), await AssignedAsync(new { lastName = "Mine", country = "DE", ownerId = admin.UserId }));

        // The German rep is at the cap: the next German lead falls through to the team, which takes turns in a stable order.
        var order = reps.Select(r => r.UserId).Order().ToList();
        var turns = new List<Guid?>();
        turns.Add((await AssignedAsync(new { lastName = "Munich", country = "DE" })).Owner);
        for (var i = 0; i < 5; i++)
        {
            var (owner, teamId, rule) = await AssignedAsync(new { lastName = $"Lead {i}", country = "FR" });
            Assert.Equal((team, roundRobin), (teamId!.Value, rule!.Value));
            turns.Add(owner);
        }

        Assert.Equal([order[0], order[1], order[2], order[0], order[1], order[2]], turns);

        // Everyone is at the cap of two open leads: no rule applies, the creator keeps the lead. A lead closed as unqualified frees a place.
        Assert.Equal((admin.UserId, (Guid?)null, (Guid?)null), await AssignedAsync(new { lastName = "Overflow" }));
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            Assert.Equal(2, await db.Set<Lead>().CountAsync(l => l.OwnerId == order[1], Ct));
        }

        var first = (await admin.Client.GetJsonAsync($"/api/v1/leads?filter={Uri.EscapeDataString($"{{\"field\":\"ownerId\",\"op\":\"eq\",\"value\":\"{order[1]}\"}}")}"))["data"]![0]!;
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PatchJsonAsync($"/api/v1/leads/{first.Id("id")}", new { status = "unqualified" }, "*")).StatusCode);
        Assert.Equal(order[1], (await AssignedAsync(new { lastName = "Freed" })).Owner);
    }
}
