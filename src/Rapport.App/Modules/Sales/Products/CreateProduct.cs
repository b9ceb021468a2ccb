using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

public static class CreateProduct
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<ProductDto>> HandleAsync(ProductFields fields, CancellationToken ct)
        {
            if (await CatalogAccess.RequireAsync<ProductDto>(access, Product.TypeName, AccessAction.Create, "create products", ct) is { } refused)
            {
                return refused;
            }

            var custom = await CustomFieldSet.LoadAsync(db, Product.TypeName, ct);
            var (values, customErrors) = await custom.ApplyAsync<Product>(db, null, fields.Custom, ct);
            if ((await ProductRules.CheckAsync(db, fields, null, ct)).Concat(customErrors).ToDictionary() is { Count: > 0 } errors)
            {
                return Outcome<ProductDto>.Invalid(errors);
            }

            var product = Product.Create(fields);
            product.SetCustomFields(values);
            db.Add(product);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return Outcome<ProductDto>.Invalid("sku", "Another product already has this SKU.");
            }

            return Outcome<ProductDto>.Ok(ProductDto.From(product, custom));
        }
    }

    public static void Map(RouteGroupBuilder products) =>
        products.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<ProductFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<ProductDto>.Invalid(fields.Errors);
                return outcome.ToHttp("product", p =>
                {
                    ETags.Set(response, p.Version);
                    return TypedResults.Created($"/api/v1/products/{p.Id}", p);
                });
            })
            .WithName("CreateProduct")
            .WithSummary("Create a product")
            .WithDescription("The SKU must be unique in the workspace (ignoring case). active defaults to true. Accepts Idempotency-Key.")
            .Accepts<ProductFields>("application/json")
            .Produces<ProductDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
