using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

public static class GetProduct
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<ProductDto>> HandleAsync(Guid id, CancellationToken ct)
        {
            var (product, refusal) = await CatalogAccess.LoadForAsync<Product, ProductDto>(
                db.Set<Product>().AsNoTracking(), access, Product.TypeName, id, AccessAction.Read, ct);
            return product is null ? refusal! : Outcome<ProductDto>.Ok(ProductDto.From(product, await CustomFieldSet.LoadAsync(db, Product.TypeName, ct)));
        }
    }

    public static void Map(RouteGroupBuilder products) =>
        products.MapGet("/{id:guid}", async (Guid id, Handler handler, HttpResponse response, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp("product", p =>
                {
                    ETags.Set(response, p.Version);
                    return TypedResults.Ok(p);
                }))
            .WithName("GetProduct")
            .WithSummary("Read a product")
            .Produces<ProductDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
