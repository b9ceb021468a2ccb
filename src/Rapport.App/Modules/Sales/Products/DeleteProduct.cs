using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>Moves a product to the trash (restorable for 30 days); needs If-Match. Its prices stay, unused, until it is purged.</summary>
public static class DeleteProduct
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<ProductDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<ProductDto>.IfMatchRequired();
            }

            var (product, refusal) = await CatalogAccess.LoadForAsync<Product, ProductDto>(db.Set<Product>(), access, Product.TypeName, id, AccessAction.Delete, ct);
            if (product is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != product.Version)
            {
                return Outcome<ProductDto>.Stale();
            }

            product.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<ProductDto>.Stale();
            }

            return Outcome<ProductDto>.Ok(ProductDto.From(product));
        }
    }

    public static void Map(RouteGroupBuilder products) =>
        products.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("product", _ => TypedResults.NoContent()))
            .WithName("DeleteProduct")
            .WithSummary("Move a product to the trash")
            .WithDescription("Send the ETag in If-Match. Restore with POST /products/{id}/restore within 30 days.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
