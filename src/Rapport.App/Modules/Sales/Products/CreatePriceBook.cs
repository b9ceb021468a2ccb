using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

public static class CreatePriceBook
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<PriceBookDto>> HandleAsync(PriceBookFields fields, CancellationToken ct)
        {
            if (await CatalogAccess.RequireAsync<PriceBookDto>(access, PriceBook.TypeName, AccessAction.Create, "create price books", ct) is { } refused)
            {
                return refused;
            }

            if (await PriceBookRules.CheckAsync(db, fields, null, ct) is { Count: > 0 } errors)
            {
                return Outcome<PriceBookDto>.Invalid(errors);
            }

            var previous = await PriceBookRules.DefaultAsync(db, ct);
            var makeDefault = previous is null || fields.IsDefault == true;
            if (makeDefault && fields.Active == false)
            {
                return Outcome<PriceBookDto>.Invalid("active", "The first price book becomes the default, and the default price book must be active.");
            }

            var book = PriceBook.Create(fields, makeDefault);
            var saved = await PriceBookRules.SaveAsync(db, makeDefault ? previous : null, () => db.Add(book), ct);
            return saved == PriceBookRules.SaveResult.Saved ? Outcome<PriceBookDto>.Ok(PriceBookDto.From(book)) : PriceBookRules.Refusal(saved);
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapPost("/", async (JsonElement body, Handler handler, HttpResponse response, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<PriceBookFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<PriceBookDto>.Invalid(fields.Errors);
                return outcome.ToHttp("price book", b =>
                {
                    ETags.Set(response, b.Version);
                    return TypedResults.Created($"/api/v1/price-books/{b.Id}", b);
                });
            })
            .WithName("CreatePriceBook")
            .WithSummary("Create a price book")
            .WithDescription("The first price book of a workspace becomes its default; isDefault: true makes a later one the default instead " +
                             "(the previous default stops being it). Names are unique. Accepts Idempotency-Key.")
            .Accepts<PriceBookFields>("application/json")
            .Produces<PriceBookDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
