using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

public static class GetPriceBook
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<PriceBookDto>> HandleAsync(Guid id, CancellationToken ct)
        {
            var (book, refusal) = await CatalogAccess.LoadForAsync<PriceBook, PriceBookDto>(
                db.Set<PriceBook>().AsNoTracking(), access, PriceBook.TypeName, id, AccessAction.Read, ct);
            return book is null ? refusal! : Outcome<PriceBookDto>.Ok(PriceBookDto.From(book));
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapGet("/{id:guid}", async (Guid id, Handler handler, HttpResponse response, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp("price book", b =>
                {
                    ETags.Set(response, b.Version);
                    return TypedResults.Ok(b);
                }))
            .WithName("GetPriceBook")
            .WithSummary("Read a price book")
            .Produces<PriceBookDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
