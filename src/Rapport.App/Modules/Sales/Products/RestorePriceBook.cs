using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>Brings a price book back from the trash; into a workspace without books it comes back as the default.</summary>
public static class RestorePriceBook
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<PriceBookDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            var (book, refusal) = await CatalogAccess.LoadForAsync<PriceBook, PriceBookDto>(
                db.Set<PriceBook>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(b => b.DeletedAt != null), access, PriceBook.TypeName, id, AccessAction.Delete, ct);
            if (book is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != book.Version)
            {
                return Outcome<PriceBookDto>.Stale();
            }

            if (await PriceBookRules.NameTakenAsync(db, book.Name, book.Id, ct))
            {
                return Outcome<PriceBookDto>.Conflict($"Another price book is now called {book.Name}. Rename that book first.");
            }

            var withoutDefault = !await db.Set<PriceBook>().AnyAsync(b => b.IsDefault, ct);
            var saved = await PriceBookRules.SaveAsync(db, null, () =>
            {
                book.Restore();
                if (withoutDefault)
                {
                    book.BecomeDefault();
                }
            }, ct);
            return saved == PriceBookRules.SaveResult.Saved ? Outcome<PriceBookDto>.Ok(PriceBookDto.From(book)) : PriceBookRules.Refusal(saved);
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapPost("/{id:guid}/restore", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("price book in the trash", b =>
                {
                    ETags.Set(http.Response, b.Version);
                    return TypedResults.Ok(b);
                }))
            .WithName("RestorePriceBook")
            .WithSummary("Restore a price book from the trash")
            .WithDescription("A workspace without a default price book gets the restored book as its default.")
            .Produces<PriceBookDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
}
