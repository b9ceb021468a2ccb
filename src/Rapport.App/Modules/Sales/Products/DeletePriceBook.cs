using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>Moves a price book to the trash (If-Match). The default goes only as the last book: otherwise make another the default first.</summary>
public static class DeletePriceBook
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<PriceBookDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<PriceBookDto>.IfMatchRequired();
            }

            var (book, refusal) = await CatalogAccess.LoadForAsync<PriceBook, PriceBookDto>(db.Set<PriceBook>(), access, PriceBook.TypeName, id, AccessAction.Delete, ct);
            if (book is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != book.Version)
            {
                return Outcome<PriceBookDto>.Stale();
            }

            if (book.IsDefault)
            {
                if (await db.Set<PriceBook>().AnyAsync(b => b.Id != book.Id, ct))
                {
                    return Outcome<PriceBookDto>.Conflict("This is the default price book. Make another book the default before deleting this one.");
                }

                book.LetGoOfDefault();
            }

            book.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<PriceBookDto>.Stale();
            }

            return Outcome<PriceBookDto>.Ok(PriceBookDto.From(book));
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("price book", _ => TypedResults.NoContent()))
            .WithName("DeletePriceBook")
            .WithSummary("Move a price book to the trash")
            .WithDescription("Send the ETag in If-Match. The default book is refused (409) while other books exist. Restore with POST /price-books/{id}/restore within 30 days.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
