using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Modules.Sales.Currency;
using Rapport.Modules.Sales.Products;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>
/// The catalog is shared: every built-in role reads it, administrators and sales managers change it, nobody outside
/// the workspace sees it — on every catalog endpoint, with nothing changed by a refusal.
/// </summary>
public sealed class SalesCatalogAccessTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Catalog(Guid Product, Guid Book, Guid Rate);

    private static async Task<Catalog> CatalogAsync(Tenant admin)
    {
        var (product, _) = await admin.Client.CreateProductAsync(new { sku = "SECRET-1", name = "Protected product" });
        var (book, _) = await admin.Client.CreatePriceBookAsync(new { name = "Protected book", currency = "USD" });
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PutJsonAsync($"/api/v1/price-books/{book}/prices/{product}", new { unitPrice = 10m })).StatusCode);
        var rate = await admin.Client.PostJsonAsync("/api/v1/exchange-rates", new { currency = "EUR", rate = 1.1m, effectiveFrom = "2026-01-01" });
        return new Catalog(product, book, Guid.Parse((await rate.JsonAsync())["id"]!.GetValue<string>()));
    }

    private static async Task<string> SnapshotAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        return JsonSerializer.Serialize(new
        {
            products = await db.Set<Product>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(p => p.Id)
                .Select(p => new { p.Id, p.Sku, p.Name, p.Active, p.Version, p.DeletedAt }).ToListAsync(Ct),
            books = await db.Set<PriceBook>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(b => b.Id)
                .Select(b => new { b.Id, b.Name, b.IsDefault, b.Version, b.DeletedAt }).ToListAsync(Ct),
            prices = await db.Set<ProductPrice>().OrderBy(p => p.Id).Select(p => new { p.Id, p.UnitPrice, p.Version }).ToListAsync(Ct),
            rates = await db.Set<ExchangeRate>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.Rate, r.Version, r.DeletedAt }).ToListAsync(Ct),
            audit = await db.Set<AuditEntry>().CountAsync(Ct),
        });
    }

    /// <summary>Every write on the catalog, aimed at the admin's records.</summary>
    private static IEnumerable<(string What, Func<HttpClient, Task<HttpResponseMessage>> Send)> Writes(Catalog c) =>
    [
        ("create product", h => h.PostJsonAsync("/api/v1/products", new { sku = "NEW", name = "New" })),
        ("update product", h => h.PatchJsonAsync($"/api/v1/products/{c.Product}", new { name = "Mine" }, "*")),
        ("delete product", h => h.DeleteAsync($"/api/v1/products/{c.Product}", "*")),
        ("restore product", h => h.PostJsonAsync($"/api/v1/products/{c.Product}/restore", new { })),
        ("create book", h => h.PostJsonAsync("/api/v1/price-books", new { name = "Mine", currency = "USD", isDefault = true })),
        ("update book", h => h.PatchJsonAsync($"/api/v1/price-books/{c.Book}", new { name = "Mine" }, "*")),
        ("delete book", h => h.DeleteAsync($"/api/v1/price-books/{c.Book}", "*")),
        ("restore book", h => h.PostJsonAsync($"/api/v1/price-books/{c.Book}/restore", new { })),
        ("set price", h => h.PutJsonAsync($"/api/v1/price-books/{c.Book}/prices/{c.Product}", new { unitPrice = 1m })),
        ("remove price", h => h.DeleteAsync($"/api/v1/price-books/{c.Book}/prices/{c.Product}", "*")),
        ("create rate", h => h.PostJsonAsync("/api/v1/exchange-rates", new { currency = "JPY", rate = 0.007m, effectiveFrom = "2026-01-01" })),
        ("delete rate", h => h.DeleteAsync($"/api/v1/exchange-rates/{c.Rate}", "*")),
    ];

    /// <summary>Every read of one of the admin's catalog records.</summary>
    private static IEnumerable<string> RecordReads(Catalog c) =>
    [
        $"/api/v1/products/{c.Product}", $"/api/v1/products/{c.Product}/price?currency=USD", $"/api/v1/price-books/{c.Book}",
        $"/api/v1/price-books/{c.Book}/prices", $"/api/v1/price-books/{c.Book}/prices/{c.Product}",
    ];

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Another_workspace_sees_and_changes_none_of_the_catalog(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var catalog = await CatalogAsync(admin);
        var stranger = await factory.SignUpAsync();
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        foreach (var url in RecordReads(catalog))
        {
            Assert.True((await stranger.Client.GetAsync(url, Ct)).StatusCode == HttpStatusCode.NotFound, url);
        }

        foreach (var list in new[] { "/api/v1/products", "/api/v1/exchange-rates" })
        {
            Assert.Empty((await (await stranger.Client.GetAsync(list, Ct)).JsonAsync())["data"]!.AsArray());
        }

        Assert.Empty((await (await stranger.Client.GetAsync("/api/v1/price-books", Ct)).JsonAsync()).AsArray());
        foreach (var (what, send) in Writes(catalog).Where(w => !w.What.StartsWith("create", StringComparison.Ordinal)))
        {
            Assert.True((await send(stranger.Client)).StatusCode == HttpStatusCode.NotFound, what);
        }

        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Reps_and_read_only_members_read_the_catalog_but_change_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var catalog = await CatalogAsync(admin);
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var reader = await factory.InviteAsync(admin, "read-only");
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        foreach (var member in new[] { rep, reader })
        {
            foreach (var url in RecordReads(catalog).Append("/api/v1/products").Append("/api/v1/price-books").Append("/api/v1/exchange-rates"))
            {
                Assert.True((await member.Client.GetAsync(url, Ct)).StatusCode == HttpStatusCode.OK, url);
            }

            foreach (var (what, send) in Writes(catalog))
            {
                var refused = await send(member.Client);
                Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)refused.StatusCode}");
                Assert.Equal("https://rapport.dev/problems/forbidden", (await refused.JsonAsync())["type"]!.GetValue<string>());
            }
        }

        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_member_without_roles_reaches_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var catalog = await CatalogAsync(admin);
        var nobody = await factory.InviteAsync(admin);
        var before = await SnapshotAsync(factory, admin.WorkspaceId);

        foreach (var url in RecordReads(catalog))
        {
            Assert.True((await nobody.Client.GetAsync(url, Ct)).StatusCode == HttpStatusCode.NotFound, url);
        }

        foreach (var list in new[] { "/api/v1/products", "/api/v1/price-books", "/api/v1/exchange-rates", "/api/v1/exchange-rates/convert?amount=1&from=EUR&to=USD" })
        {
            Assert.True((await nobody.Client.GetAsync(list, Ct)).StatusCode == HttpStatusCode.Forbidden, list);
        }

        foreach (var (what, send) in Writes(catalog))
        {
            var status = (await send(nobody.Client)).StatusCode;
            Assert.True(status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{what}: {(int)status}");
        }

        Assert.Equal(before, await SnapshotAsync(factory, admin.WorkspaceId));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sales_managers_manage_the_catalog(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var catalog = await CatalogAsync(admin);
        var manager = await factory.InviteAsync(admin, "sales-manager");

        var (product, tag) = await manager.Client.CreateProductAsync(new { sku = "MGR-1", name = "Manager's product" });
        Assert.Equal(HttpStatusCode.OK, (await manager.Client.PatchJsonAsync($"/api/v1/products/{product}", new { active = false }, tag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.Client.PatchJsonAsync($"/api/v1/products/{catalog.Product}", new { unit = "box" }, "*")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.Client.PutJsonAsync($"/api/v1/price-books/{catalog.Book}/prices/{catalog.Product}", new { unitPrice = 11m })).StatusCode);
        var (book, _) = await manager.Client.CreatePriceBookAsync(new { name = "Manager's book", currency = "CNY", isDefault = true });
        Assert.Equal(HttpStatusCode.Created, (await manager.Client.PostJsonAsync("/api/v1/exchange-rates", new { currency = "CNY", rate = 0.14m, effectiveFrom = "2026-01-01" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.DeleteAsync($"/api/v1/exchange-rates/{catalog.Rate}", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.Client.DeleteAsync($"/api/v1/price-books/{catalog.Book}", "*")).StatusCode);
        Assert.Equal(book.ToString(), (await (await manager.Client.GetAsync("/api/v1/price-books", Ct)).JsonAsync())[0]!["id"]!.GetValue<string>());
    }
}
