using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Modules.Sales.Orders;
using Rapport.Modules.Sales.Quotes;
using Rapport.Modules.Sales.SalesContracts;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>Quotes, orders and contracts are reached as their deals are: a rep those of their own deals; others are refused and nothing changes.</summary>
public sealed class SalesDocumentAccessTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Documents(Guid Deal, Guid Quote, Guid Order, Guid Contract);

    private static async Task<Documents> DocumentsAsync(Tenant who, string name)
    {
        var (deal, _, _) = await who.Client.CreateDealAsync(new { name, amount = 100, currency = "USD" });
        var lines = new[] { new { description = name, quantity = 1m, unitPrice = 100m } };
        var quote = await (await who.Client.PostJsonAsync("/api/v1/quotes", new { dealId = deal, lines })).JsonAsync();
        var draft = await (await who.Client.PostJsonAsync("/api/v1/quotes", new { dealId = deal, lines })).JsonAsync();
        var order = await (await who.Client.PostJsonAsync($"/api/v1/quotes/{quote["id"]}/accept", new { })).JsonAsync();
        var contract = await (await who.Client.PostJsonAsync("/api/v1/contracts", new { orderId = order["id"]!.GetValue<string>(), startDate = "2026-01-01", endDate = "2026-12-31" })).JsonAsync();
        return new Documents(deal, Guid.Parse(draft["id"]!.GetValue<string>()), Guid.Parse(order["id"]!.GetValue<string>()), Guid.Parse(contract["id"]!.GetValue<string>()));
    }

    private static async Task<string> SnapshotAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        return JsonSerializer.Serialize(new
        {
            quotes = await db.Set<Quote>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(q => q.Id)
                .Select(q => new { q.Id, q.Status, q.Total, q.Version, q.DeletedAt, q.RevisedById }).ToListAsync(Ct),
            orders = await db.Set<Order>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(o => o.Id)
                .Select(o => new { o.Id, o.Status, o.Version, o.DeletedAt }).ToListAsync(Ct),
            contracts = await db.Set<Contract>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.Name, c.Version, c.DeletedAt }).ToListAsync(Ct),
            audit = await db.Set<AuditEntry>().CountAsync(Ct),
        });
    }

    /// <summary>Every endpoint naming one of <paramref name="docs"/>, as <paramref name="who"/>: the ones that answered 2xx.</summary>
    private static async Task<List<string>> AnsweredAsync(Tenant who, Documents docs)
    {
        var lines = new[] { new { description = "Taken", quantity = 1m, unitPrice = 1m } };
        var (quote, order, contract) = ($"/api/v1/quotes/{docs.Quote}", $"/api/v1/orders/{docs.Order}", $"/api/v1/contracts/{docs.Contract}");
        var answers = new List<(string, HttpResponseMessage)>
        {
            ("GET quote", await who.Client.GetAsync(quote, Ct)),
            ("PATCH quote", await who.Client.PatchJsonAsync(quote, new { lines }, "*")),
            ("send", await who.Client.PostJsonAsync($"{quote}/send", new { })),
            ("reject", await who.Client.PostJsonAsync($"{quote}/reject", new { })),
            ("revise", await who.Client.PostJsonAsync($"{quote}/revise", new { })),
            ("accept", await who.Client.PostJsonAsync($"{quote}/accept", new { })),
            ("GET order", await who.Client.GetAsync(order, Ct)),
            ("PATCH order", await who.Client.PatchJsonAsync(order, new { notes = "Taken" }, "*")),
            ("status", await who.Client.PostJsonAsync($"{order}/status", new { status = "fulfilled" })),
            ("GET contract", await who.Client.GetAsync(contract, Ct)),
            ("PATCH contract", await who.Client.PatchJsonAsync(contract, new { name = "Taken" }, "*")),
            ("quote on the deal", await who.Client.PostJsonAsync("/api/v1/quotes", new { dealId = docs.Deal, lines })),
            ("order on the deal", await who.Client.PostJsonAsync("/api/v1/orders", new { dealId = docs.Deal, lines })),
            ("contract on the order", await who.Client.PostJsonAsync("/api/v1/contracts", new { orderId = docs.Order, startDate = "2026-01-01", endDate = "2026-02-01" })),
            ("DELETE quote", await who.Client.DeleteAsync(quote, "*")),
            ("DELETE order", await who.Client.DeleteAsync(order, "*")),
            ("DELETE contract", await who.Client.DeleteAsync(contract, "*")),
            ("restore quote", await who.Client.PostJsonAsync($"{quote}/restore", new { })),
            ("restore order", await who.Client.PostJsonAsync($"{order}/restore", new { })),
            ("restore contract", await who.Client.PostJsonAsync($"{contract}/restore", new { })),
        };
        return [.. answers.Where(a => a.Item2.IsSuccessStatusCode).Select(a => $"{a.Item1}: {(int)a.Item2.StatusCode}")];
    }

    private static async Task<List<Guid>> IdsAsync(Tenant who, string resource) =>
        [.. (await who.Client.GetJsonAsync($"/api/v1/{resource}?limit=200"))["data"]!.AsArray().Select(d => Guid.Parse(d!["id"]!.GetValue<string>())).Order()];

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_rep_reaches_only_the_quotes_orders_and_contracts_of_their_own_deals(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var manager = await factory.InviteAsync(admin, "sales-manager");
        var admins = await DocumentsAsync(admin, "Admin's");
        var reps = await DocumentsAsync(rep, "Rep's");

        Assert.Equal(2, (await IdsAsync(rep, "quotes")).Count); // the accepted quote and the draft, both on the rep's deal
        Assert.Equal([reps.Order], await IdsAsync(rep, "orders"));
        Assert.Equal([reps.Contract], await IdsAsync(rep, "contracts"));
        Assert.Equal(4, (await IdsAsync(manager, "quotes")).Count);
        Assert.Equal(new[] { admins.Contract, reps.Contract }.Order(), await IdsAsync(manager, "contracts"));

        var before = await SnapshotAsync(factory, admin.WorkspaceId);
        Assert.Empty(await AnsweredAsync(rep, admins));
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.PostJsonAsync($"/api/v1/quotes/{reps.Quote}/send", new { })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Another_workspace_and_members_without_the_rights_are_refused_and_nothing_changes(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var stranger = await factory.SignUpAsync();
        var roleless = await factory.InviteAsync(admin);
        var readOnly = await factory.InviteAsync(admin, "read-only");
        // Deals but no quote rights: the deal is readable, the quotes are not.
        var all = new[] { "create", "read", "update", "delete" }.ToDictionary(a => a, _ => "all");
        var dealsOnly = await factory.MemberWithRoleAsync(admin, new { deal = all });
        var docs = await DocumentsAsync(admin, "Protected");
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        Assert.Empty(await AnsweredAsync(stranger, docs));
        Assert.Empty(await AnsweredAsync(roleless, docs));
        Assert.Empty(await AnsweredAsync(dealsOnly, docs));
        foreach (var who in new[] { stranger, roleless, dealsOnly })
        {
            Assert.Empty(await IdsAsync(who, "quotes"));
            Assert.Empty(await IdsAsync(who, "orders"));
            Assert.Empty(await IdsAsync(who, "contracts"));
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await dealsOnly.Client.PostJsonAsync("/api/v1/quotes", new { dealId = docs.Deal, lines = new[] { new { description = "x", unitPrice = 1m } } })).StatusCode);
        Assert.Equal(2, (await IdsAsync(readOnly, "quotes")).Count);
        Assert.Equal(HttpStatusCode.OK, (await readOnly.Client.GetAsync($"/api/v1/contracts/{docs.Contract}", Ct)).StatusCode);
        Assert.Equal(["GET quote: 200", "GET order: 200", "GET contract: 200"], await AnsweredAsync(readOnly, docs));
        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
    }
}
