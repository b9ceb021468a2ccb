using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Quotes;

public static class GetQuote
{
    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public async Task<QuoteDto?> HandleAsync(Guid id, CancellationToken ct) =>
            await (await QuoteRules.VisibleAsync(db, access, ct)).SingleOrDefaultAsync(q => q.Id == id, ct) is { } quote ? QuoteDto.From(quote) : null;
    }

    public static void Map(RouteGroupBuilder quotes) =>
        quotes.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } quote)
                {
                    return Problems.NotFoundProblem("quote");
                }

                ETags.Set(http.Response, quote.Version);
                return TypedResults.Ok(quote);
            })
            .WithName("GetQuote")
            .WithSummary("Read a quote, with its lines and totals")
            .Produces<QuoteDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
