using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Audit;
using Rapport.Modules.Sales.Products;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Helpers for the sales catalog tests.</summary>
public static class CatalogApi
{
    public static async Task<(Guid Id, string ETag)> CreateProductAsync(this HttpClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/v1/products", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>()), response.Headers.ETag!.Tag);
    }

    public static async Task<(Guid Id, string ETag)> CreatePriceBookAsync(this HttpClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/v1/price-books", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>()), response.Headers.ETag!.Tag);
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The field errors of a problem+json answer.</summary>
    public static async Task<JsonObject> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("https://rapport.dev/problems/validation", problem["type"]!.GetValue<string>());
        return problem["errors"]!.AsObject();
    }
}

public sealed class ProductTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Admin_creates_reads_updates_deletes_and_restores_a_product_with_audit(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var created = await tenant.Client.PostJsonAsync("/api/v1/products",
            new { sku = " CRM-PRO ", name = " Rapport Pro licence ", description = "One seat, one year", unit = "seat" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        var body = await created.JsonAsync();
        var id = body["id"]!.GetValue<string>();
        Assert.Equal($"/api/v1/products/{id}", created.Headers.Location?.ToString());
        Assert.Equal("CRM-PRO", body["sku"]!.GetValue<string>());
        Assert.Equal("Rapport Pro licence", body["name"]!.GetValue<string>());
        Assert.True(body["active"]!.GetValue<bool>());

        var read = await tenant.Client.GetAsync($"/api/v1/products/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("seat", (await read.JsonAsync())["unit"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await tenant.Client.PatchJsonAsync($"/api/v1/products/{id}", new { active = false }, null)).StatusCode);
        var patched = await tenant.Client.PatchJsonAsync($"/api/v1/products/{id}", new { active = false, unit = (string?)null }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag?.Tag);
        var after = await patched.JsonAsync();
        Assert.False(after["active"]!.GetValue<bool>());
        Assert.Null(after["unit"]);
        Assert.Equal("CRM-PRO", after["sku"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await tenant.Client.PatchJsonAsync($"/api/v1/products/{id}", new { name = "Stale" }, "\"1\"")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/products/{id}", "\"2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync($"/api/v1/products/{id}", Ct)).StatusCode);
        var trash = (await (await tenant.Client.GetAsync("/api/v1/products?trash=true", Ct)).JsonAsync())["data"]!.AsArray();
        Assert.Equal(id, Assert.Single(trash)!["id"]!.GetValue<string>());
        var restored = await tenant.Client.PostJsonAsync($"/api/v1/products/{id}/restore", new { });
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal("\"4\"", restored.Headers.ETag?.Tag);

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        var audit = await db.Set<AuditEntry>().Where(a => a.EntityType == "product" && a.EntityId == Guid.Parse(id)).OrderBy(a => a.At).ThenBy(a => a.Id)
            .Select(a => new { a.Action, a.Changes, a.UserId }).ToListAsync(Ct);
        Assert.Equal(["create", "update", "delete", "restore"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(tenant.UserId, a.UserId));
        Assert.Contains("\"sku\":{\"before\":null,\"after\":\"CRM-PRO\"}", audit[0].Changes, StringComparison.Ordinal);
        Assert.Contains("\"active\":{\"before\":true,\"after\":false}", audit[1].Changes, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Invalid_fields_are_refused_with_field_errors_and_nothing_is_saved(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();

        var errors = await CatalogApi.ErrorsAsync(await tenant.Client.PostJsonAsync("/api/v1/products",
            new { sku = "", name = new string('x', Product.NameMaxLength + 1), unit = new string('u', Product.UnitMaxLength + 1) }));
        Assert.Contains("SKU is required", errors["sku"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(errors["name"]);
        Assert.NotNull(errors["unit"]);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await tenant.Client.PostJsonAsync("/api/v1/products", new { sku = "A\tB", name = "Tabbed" })))["sku"]);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await tenant.Client.PostJsonAsync("/api/v1/products", new { sku = "X", name = "X", price = 3 })))["price"]);
        Assert.NotNull((await CatalogApi.ErrorsAsync(await tenant.Client.PostJsonAsync("/api/v1/products", new { sku = "X", name = "X", custom = new { tier = "gold" } })))["custom.tier"]);

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        Assert.Equal(0, await db.Set<Product>().IgnoreQueryFilters([Rapport.Kernel.Data.RapportDbContext.TrashFilter]).CountAsync(Ct));
        Assert.Equal(0, await db.Set<AuditEntry>().CountAsync(a => a.EntityType == "product", Ct));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Sku_is_unique_in_the_workspace_ignoring_case_until_the_product_goes_to_the_trash(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var other = await factory.SignUpAsync();
        var (first, tag) = await tenant.Client.CreateProductAsync(new { sku = "SKU-1", name = "First" });
        var (second, secondTag) = await tenant.Client.CreateProductAsync(new { sku = "SKU-2", name = "Second" });
        await other.Client.CreateProductAsync(new { sku = "SKU-1", name = "Another workspace may use it" });

        var clash = await CatalogApi.ErrorsAsync(await tenant.Client.PostJsonAsync("/api/v1/products", new { sku = "sku-1", name = "Copy" }));
        Assert.Equal("Another product already has this SKU.", clash["sku"]![0]!.GetValue<string>());
        Assert.NotNull((await CatalogApi.ErrorsAsync(await tenant.Client.PatchJsonAsync($"/api/v1/products/{second}", new { sku = "SKU-1" }, secondTag)))["sku"]);

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/api/v1/products/{first}", tag)).StatusCode);
        var (reused, _) = await tenant.Client.CreateProductAsync(new { sku = "SKU-1", name = "Successor" });
        var restore = await tenant.Client.PostJsonAsync($"/api/v1/products/{first}/restore", new { });
        Assert.Equal(HttpStatusCode.Conflict, restore.StatusCode);
        Assert.Contains("SKU-1", (await restore.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual(first, reused);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task List_searches_sku_and_name_filters_active_and_pages_by_keyset(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        await tenant.Client.CreateProductAsync(new { sku = "HW-ROUTER", name = "Router" });
        await tenant.Client.CreateProductAsync(new { sku = "SW-CRM", name = "CRM licence" });
        await tenant.Client.CreateProductAsync(new { sku = "SVC-SETUP", name = "Setup service", active = false });
        await tenant.Client.CreateProductAsync(new { sku = "HW-SWITCH", name = "交换机" });

        async Task<List<string>> SkusAsync(string query) =>
            [.. (await (await tenant.Client.GetAsync("/api/v1/products" + query, Ct)).JsonAsync())["data"]!.AsArray().Select(p => p!["sku"]!.GetValue<string>())];

        Assert.Equal(["HW-SWITCH", "HW-ROUTER"], await SkusAsync("?q=hw-&sort=-sku"));
        Assert.Equal(["SW-CRM"], await SkusAsync("?q=LICENCE"));
        Assert.Equal(["HW-SWITCH"], await SkusAsync("?q=" + Uri.EscapeDataString("交换")));
        Assert.Equal(["SVC-SETUP"], await SkusAsync("?active=false"));
        Assert.Equal(["HW-ROUTER", "HW-SWITCH", "SW-CRM"], await SkusAsync("?active=true&sort=sku"));
        Assert.Equal(["SW-CRM"], await SkusAsync("?filter=" + Uri.EscapeDataString("""{"field":"sku","op":"startsWith","value":"SW"}""")));
        var bad = await tenant.Client.GetAsync("/api/v1/products?filter=" + Uri.EscapeDataString("""{"field":"price","op":"eq","value":1}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var page = await (await tenant.Client.GetAsync("/api/v1/products?sort=sku&limit=3", Ct)).JsonAsync();
        Assert.Equal(3, page["data"]!.AsArray().Count);
        var cursor = page["nextCursor"]!.GetValue<string>();
        var rest = await (await tenant.Client.GetAsync($"/api/v1/products?sort=sku&limit=3&cursor={Uri.EscapeDataString(cursor)}", Ct)).JsonAsync();
        Assert.Equal("SW-CRM", Assert.Single(rest["data"]!.AsArray())!["sku"]!.GetValue<string>());
        Assert.Null(rest["nextCursor"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Products_carry_custom_fields(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var field = await tenant.Client.PostJsonAsync("/api/v1/custom-fields", new { entityType = "product", key = "warranty", type = "number", label = "Warranty (months)" });
        Assert.Equal(HttpStatusCode.Created, field.StatusCode);

        var (id, _) = await tenant.Client.CreateProductAsync(new { sku = "W-1", name = "With warranty", custom = new { warranty = 24 } });
        await tenant.Client.CreateProductAsync(new { sku = "W-0", name = "Without" });

        Assert.Equal(24, (await (await tenant.Client.GetAsync($"/api/v1/products/{id}", Ct)).JsonAsync())["custom"]!["warranty"]!.GetValue<int>());
        var filtered = await (await tenant.Client.GetAsync("/api/v1/products?filter=" + Uri.EscapeDataString("""{"field":"custom.warranty","op":"gte","value":12}"""), Ct)).JsonAsync();
        Assert.Equal("W-1", Assert.Single(filtered["data"]!.AsArray())!["sku"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_catalog_endpoint_is_named_and_summarised_in_the_OpenAPI_document()
    {
        var document = await (await hosts.For(TestDatabases.Sqlite).CreateClient().GetAsync("/openapi/v1.json", Ct)).JsonAsync();
        var operations = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/v1/products", StringComparison.Ordinal) || p.Key.StartsWith("/api/v1/price-books", StringComparison.Ordinal)
                        || p.Key.StartsWith("/api/v1/exchange-rates", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete").Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!)))
            .ToList();
        Assert.Equal(21, operations.Count);
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Operation["operationId"]?.GetValue<string>()), $"{o.Method} {o.Path} has no name");
            Assert.False(string.IsNullOrEmpty(o.Operation["summary"]?.GetValue<string>()), $"{o.Method} {o.Path} has no summary");
            Assert.Contains(o.Operation["tags"]!.AsArray(), t => t!.GetValue<string>() is "Products" or "Price books" or "Exchange rates");
        });
    }
}
