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

/// <summary>PATCH as a JSON merge patch over the product's writable fields; needs If-Match.</summary>
public static class UpdateProduct
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        /// <summary>API: a merge patch.</summary>
        public Task<Outcome<ProductDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            HandleAsync(id, current => JsonBody.Merge(current, patch), ifMatch, ct);

        /// <summary>Forms and toggles: a change computed from the product's current fields.</summary>
        public async Task<Outcome<ProductDto>> HandleAsync(Guid id, Func<ProductFields, Outcome<ProductFields>> change, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<ProductDto>.IfMatchRequired();
            }

            var (product, refusal) = await CatalogAccess.LoadForAsync<Product, ProductDto>(db.Set<Product>(), access, Product.TypeName, id, AccessAction.Update, ct);
            if (product is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != product.Version)
            {
                return Outcome<ProductDto>.Stale();
            }

            var custom = await CustomFieldSet.LoadAsync(db, Product.TypeName, ct);
            var current = product.Fields with { Custom = custom.ToApi(product.CustomFields) };
            var changed = change(current);
            if (!changed.IsOk)
            {
                return changed.As<ProductDto>();
            }

            var fields = changed.Value!;
            var (values, customErrors) = await custom.ApplyAsync(db, product, fields.Custom, ct);
            if ((await ProductRules.CheckAsync(db, fields, product.Id, ct)).Concat(customErrors).ToDictionary() is { Count: > 0 } errors)
            {
                return Outcome<ProductDto>.Invalid(errors);
            }

            product.Change(fields);
            product.SetCustomFields(values);
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
                return Outcome<ProductDto>.Invalid("sku", "Another product already has this SKU.");
            }

            return Outcome<ProductDto>.Ok(ProductDto.From(product, custom));
        }
    }

    public static void Map(RouteGroupBuilder products) =>
        products.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct)).ToHttp("product", p =>
                {
                    ETags.Set(http.Response, p.Version);
                    return TypedResults.Ok(p);
                }))
            .WithName("UpdateProduct")
            .WithSummary("Change a product (JSON merge patch)")
            .WithDescription("Send the ETag you read in If-Match: 428 without it, 412 when the product changed since. {\"active\":false} retires a product.")
            .Accepts<ProductFields>("application/merge-patch+json", "application/json")
            .Produces<ProductDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
