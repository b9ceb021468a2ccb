using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>Brings a product back from the trash; refused when another product took its SKU meanwhile.</summary>
public static class RestoreProduct
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<ProductDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            var (product, refusal) = await CatalogAccess.LoadForAsync<Product, ProductDto>(
                db.Set<Product>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(p => p.DeletedAt != null), access, Product.TypeName, id, AccessAction.Delete, ct);
            if (product is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != product.Version)
            {
                return Outcome<ProductDto>.Stale();
            }

            var taken = $"Another product now has the SKU {product.Sku}. Change that product's SKU first.";
            if (await ProductRules.SkuTakenAsync(db, product.Sku, product.Id, ct))
            {
                return Outcome<ProductDto>.Conflict(taken);
            }

            product.Restore();
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<ProductDto>.Stale();
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<ProductDto>.Conflict(taken);
            }

            return Outcome<ProductDto>.Ok(ProductDto.From(product, await CustomFieldSet.LoadAsync(db, Product.TypeName, ct)));
        }
    }

    public static void Map(RouteGroupBuilder products) =>
        products.MapPost("/{id:guid}/restore", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("product in the trash", p =>
                {
                    ETags.Set(http.Response, p.Version);
                    return TypedResults.Ok(p);
                }))
            .WithName("RestoreProduct")
            .WithSummary("Restore a product from the trash")
            .Produces<ProductDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
