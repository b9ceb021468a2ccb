using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Modules.Sales.Products;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class PriceBookTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<(string Name, bool IsDefault)>> BooksAsync(Tenant tenant) =>
        [.. (await (await tenant.Client.GetAsync("/api/v1/price-books", Ct)).JsonAsync()).AsArray()
            .Select(b => (b!["name"]!.GetValue<string>(), b["isDefault"]!.GetValue<bool>()))];

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_first_book_is_the_default_and_exactly_one_book_stays_the_default(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var (standard, _) = await tenant.Client.CreatePriceBookAsync(new { name = "Standard", currency = "usd", isDefault = false });
        var (china, chinaTag) = await tenant.Client.CreatePriceBookAsync(new { name = "China", currency = "CNY" });
        Assert.Equal([("Standard", true), ("China", false)], await BooksAsync(tenant));

        var (partner, _) = await tenant.Client.CreatePriceBookAsync(new { name = "Partner", currency = "EUR", isDefault = true });
        Assert.Equal([("Partner", true), ("China", false), ("Standard", false)], await BooksAsync(tenant));

        var moved = await tenant.Client.PatchJsonAsync($"/api/v1/price-books/{china}", new { isDefault = true }, chinaTag);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.True((await moved.JsonAsync())["isDefault"]!.GetValue<bool>());
        Assert.Equal([("China", true), ("Partner", false), ("Standard", false)], await BooksAsync(tenant));

        // The default cannot be unset, made inactive or deleted while other books exist.
        chinaTag = moved.Headers.ETag!.Tag;
        var unset = await CatalogApi.ErrorsAsync(await tenant.Client.PatchJsonAsync($"/api/v1/price-books/{china}", new { isDefault = false }, chinaTag));
        Assert.Contains("make another book the default", unset["isDefault"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await tenant.Client.PatchJsonAsync($"/api/v1/price-books/{china}", new { active = false }, chinaTag)))["active"]);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await tenant.Client.PostJsonAsync("/api/v1/price-books", new { name = "Off", currency = "USD", isDefault = true, active = false })))["active"]);
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.Client.DeleteAsync($"/api/v1/price-books/{china}", chinaTag)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/price-books/{standard}", "\"2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/price-books/{partner}", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/price-books/{china}", chinaTag)).StatusCode);
        Assert.Empty(await BooksAsync(tenant));

        // Back from the trash into a workspace without books: the default again, then the others as they were.
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostJsonAsync($"/api/v1/price-books/{standard}/restore", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.PostJsonAsync($"/api/v1/price-books/{partner}/restore", new { })).StatusCode);
        Assert.Equal([("Standard", true), ("Partner", false)], await BooksAsync(tenant));

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        Assert.Equal(1, await db.Set<PriceBook>().CountAsync(b => b.IsDefault, Ct));
        Assert.Contains(await db.Set<AuditEntry>().Where(a => a.EntityType == "price-book" && a.EntityId == china).Select(a => a.Action).ToListAsync(Ct),
            a => a == "delete");
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Price_books_validate_their_fields(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var errors = await CatalogApi.ErrorsAsync(await tenant.Client.PostJsonAsync("/api/v1/price-books", new { name = "", currency = "XYZ" }));
        Assert.NotNull(errors["name"]);
        Assert.Contains("ISO 4217", errors["currency"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await tenant.Client.CreatePriceBookAsync(new { name = "Standard", currency = "USD" });
        Assert.NotNull((await CatalogApi.ErrorsAsync(await tenant.Client.PostJsonAsync("/api/v1/price-books", new { name = " Standard ", currency = "EUR" })))["name"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Prices_are_set_read_listed_and_removed_per_product_and_currency(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var (book, _) = await tenant.Client.CreatePriceBookAsync(new { name = "Standard", currency = "USD" });
        var (product, _) = await tenant.Client.CreateProductAsync(new { sku = "P-1", name = "Widget" });
        var url = $"/api/v1/price-books/{book}/prices/{product}";

        var created = await tenant.Client.PutJsonAsync(url, new { unitPrice = 12.3456m });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var price = await created.JsonAsync();
        Assert.Equal("USD", price["currency"]!.GetValue<string>());
        Assert.Equal(12.3456m, price["unitPrice"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.Created, (await tenant.Client.PutJsonAsync(url, new { unitPrice = 88m, currency = "cny" })).StatusCode);

        var replaced = await tenant.Client.PutJsonAsync(url, new { unitPrice = 13m }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await tenant.Client.PutJsonAsync(url, new { unitPrice = 14m }, "\"1\"")).StatusCode);

        Assert.Equal(13m, (await (await tenant.Client.GetAsync(url, Ct)).JsonAsync())["unitPrice"]!.GetValue<decimal>());
        Assert.Equal(88m, (await (await tenant.Client.GetAsync(url + "?currency=CNY", Ct)).JsonAsync())["unitPrice"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync(url + "?currency=EUR", Ct)).StatusCode);
        var list = (await (await tenant.Client.GetAsync($"/api/v1/price-books/{book}/prices", Ct)).JsonAsync())["data"]!.AsArray();
        Assert.Equal(["CNY", "USD"], list.Select(p => p!["currency"]!.GetValue<string>()));

        var invalid = await CatalogApi.ErrorsAsync(await tenant.Client.PutJsonAsync(url, new { unitPrice = 1.23456m, currency = "ABC" }));
        Assert.Contains("4 decimals", invalid["unitPrice"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(invalid["currency"]);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await tenant.Client.PutJsonAsync(url, new { unitPrice = -1m })))["unitPrice"]);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await tenant.Client.PutJsonAsync(url, new { currency = "USD" })))["unitPrice"]);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.PutJsonAsync($"/api/v1/price-books/{book}/prices/{Guid.NewGuid()}", new { unitPrice = 1m })).StatusCode);

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await tenant.Client.DeleteAsync(url + "?currency=CNY", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync(url + "?currency=CNY", "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync(url + "?currency=CNY", Ct)).StatusCode);

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        Assert.Equal(["create", "create", "update", "purge"],
            await db.Set<AuditEntry>().Where(a => a.EntityType == "price").OrderBy(a => a.At).ThenBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Price_lookup_reads_the_default_book_or_the_named_one_and_says_what_is_missing(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var (product, productTag) = await tenant.Client.CreateProductAsync(new { sku = "P-9", name = "Gadget" });
        async Task<HttpResponseMessage> LookUpAsync(string query) => await tenant.Client.GetAsync($"/api/v1/products/{product}/price?{query}", Ct);

        var none = await LookUpAsync("currency=USD");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("no default price book", (await none.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var (standard, _) = await tenant.Client.CreatePriceBookAsync(new { name = "Standard", currency = "USD" });
        var (partner, partnerTag) = await tenant.Client.CreatePriceBookAsync(new { name = "Partner", currency = "USD" });
        await tenant.Client.PutJsonAsync($"/api/v1/price-books/{standard}/prices/{product}", new { unitPrice = 100m });
        await tenant.Client.PutJsonAsync($"/api/v1/price-books/{standard}/prices/{product}", new { unitPrice = 700m, currency = "CNY" });
        await tenant.Client.PutJsonAsync($"/api/v1/price-books/{partner}/prices/{product}", new { unitPrice = 80m });

        var usd = await (await LookUpAsync("currency=usd")).JsonAsync();
        Assert.Equal(100m, usd["unitPrice"]!.GetValue<decimal>());
        Assert.Equal(standard.ToString(), usd["priceBookId"]!.GetValue<string>());
        Assert.Equal("P-9", usd["sku"]!.GetValue<string>());
        Assert.Equal(700m, (await (await LookUpAsync("currency=CNY")).JsonAsync())["unitPrice"]!.GetValue<decimal>());
        Assert.Equal(80m, (await (await LookUpAsync($"currency=USD&priceBookId={partner}")).JsonAsync())["unitPrice"]!.GetValue<decimal>());

        var missing = await LookUpAsync("currency=JPY");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("The price book Standard has no JPY price for P-9. Add one, or give the unit price.", (await missing.JsonAsync())["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await LookUpAsync($"currency=USD&priceBookId={Guid.NewGuid()}")).StatusCode);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await LookUpAsync("currency=XX")))["currency"]);

        await tenant.Client.PatchJsonAsync($"/api/v1/price-books/{partner}", new { active = false }, partnerTag);
        Assert.Contains("inactive", (await (await LookUpAsync($"currency=USD&priceBookId={partner}")).JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // A product in the trash has no price to look up.
        await tenant.Client.DeleteAsync($"/api/v1/products/{product}", productTag);
        Assert.Equal(HttpStatusCode.NotFound, (await LookUpAsync("currency=USD")).StatusCode);
    }
}
