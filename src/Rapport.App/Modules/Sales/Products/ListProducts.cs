using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>Lists products with a text search on SKU and name, an active filter, the filter language, sort and keyset cursor.</summary>
public static class ListProducts
{
    public const string DefaultSort = "name";
    public const int MaxSearchLength = 200;

    public static readonly FieldCatalog<Product> Fields = new FieldCatalog<Product>()
        .Text("sku", p => p.Sku)
        .Text("name", p => p.Name)
        .Text("description", p => p.Description, sortable: false)
        .Text("unit", p => p.Unit)
        .Boolean("active", p => p.Active)
        .Id("id", p => p.Id)
        .Instant("createdAt", p => p.CreatedAt)
        .Instant("updatedAt", p => p.UpdatedAt)
        .Instant("deletedAt", p => p.DeletedAt);

    /// <param name="Search">Part of the SKU or name, any case.</param>
    /// <param name="Active">Only active (true) or inactive (false) products; null for both.</param>
    public sealed record Query(ListRequest List, string? Search = null, bool? Active = null, bool Trash = false);

    public sealed class Handler(RapportDbContext db, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<Page<ProductDto>>> HandleAsync(Query query, CancellationToken ct)
        {
            if (await CatalogAccess.RequireAsync<Page<ProductDto>>(access, Product.TypeName, AccessAction.Read, "read products", ct) is { } refused)
            {
                return refused;
            }

            if (query.Search is { Length: > MaxSearchLength })
            {
                return Outcome<Page<ProductDto>>.Invalid("q", $"Search for at most {MaxSearchLength} characters.");
            }

            var products = db.Set<Product>().AsNoTracking();
            if (query.Trash)
            {
                products = products.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(p => p.DeletedAt != null);
            }

            if (query.Search?.Trim().ToLowerInvariant() is { Length: > 0 } text)
            {
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(), as the list filters do
                products = products.Where(p => p.Sku.ToLower().Contains(text) || p.Name.ToLower().Contains(text));
#pragma warning restore CA1304, CA1311, CA1862
            }

            if (query.Active is { } active)
            {
                products = products.Where(p => p.Active == active);
            }

            var custom = await CustomFieldSet.LoadAsync(db, Product.TypeName, ct);
            var page = await KeysetPager.PageAsync(products, query.List, custom.Extend(Fields), query.Trash ? "-deletedAt" : DefaultSort, clock.GetUtcNow(), ct);
            return Outcome<Page<ProductDto>>.Ok(new Page<ProductDto>([.. page.Data.Select(p => ProductDto.From(p, custom))], page.NextCursor));
        }
    }

    public static void Map(RouteGroupBuilder products) =>
        products.MapGet("/", async (string? q, bool? active, string? filter, string? sort, int? limit, string? cursor, bool? trash, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(new Query(new ListRequest(filter, sort, limit, cursor), q, active, trash == true), ct)).ToHttp("product", TypedResults.Ok))
            .WithName("ListProducts")
            .WithSummary("List products")
            .WithDescription("q: part of the SKU or name (any case). active: true or false. filter: a JSON filter tree over sku, name, description, unit, " +
                             "active, createdAt, updatedAt and custom.<key>. sort: comma-separated fields, '-' for descending (default name). " +
                             "limit: 1–200 (default 50). cursor: nextCursor of the previous page. trash=true lists products in the trash.")
            .Produces<Page<ProductDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
