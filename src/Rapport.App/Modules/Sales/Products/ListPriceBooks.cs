using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>Every price book (a workspace has a handful), the default first, then by name; <c>trash=true</c> lists the trash.</summary>
public static class ListPriceBooks
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<Outcome<IReadOnlyList<PriceBookDto>>> HandleAsync(bool trash, CancellationToken ct)
        {
            if (await CatalogAccess.RequireAsync<IReadOnlyList<PriceBookDto>>(access, PriceBook.TypeName, AccessAction.Read, "read price books", ct) is { } refused)
            {
                return refused;
            }

            var books = db.Set<PriceBook>().AsNoTracking();
            if (trash)
            {
                books = books.IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(b => b.DeletedAt != null);
            }

            var list = await books.OrderByDescending(b => b.IsDefault).ThenBy(b => b.Name).ThenBy(b => b.Id).ToListAsync(ct);
            return Outcome<IReadOnlyList<PriceBookDto>>.Ok([.. list.Select(PriceBookDto.From)]);
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapGet("/", async (bool? trash, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(trash == true, ct)).ToHttp("price book", TypedResults.Ok))
            .WithName("ListPriceBooks")
            .WithSummary("List price books")
            .WithDescription("The default book first, then by name. trash=true lists price books in the trash.")
            .Produces<IReadOnlyList<PriceBookDto>>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
