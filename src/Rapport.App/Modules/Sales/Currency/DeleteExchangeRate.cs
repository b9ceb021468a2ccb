using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Currency;

/// <summary>Deletes an exchange rate (into the trash, audited); the rate before it applies again from its day on. Needs If-Match.</summary>
public static class DeleteExchangeRate
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, TimeProvider clock)
    {
        public async Task<Outcome<ExchangeRateDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<ExchangeRateDto>.IfMatchRequired();
            }

            var (rate, refusal) = await CatalogAccess.LoadForAsync<ExchangeRate, ExchangeRateDto>(
                db.Set<ExchangeRate>(), access, ExchangeRate.TypeName, id, AccessAction.Delete, ct);
            if (rate is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != rate.Version)
            {
                return Outcome<ExchangeRateDto>.Stale();
            }

            rate.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<ExchangeRateDto>.Stale();
            }

            return Outcome<ExchangeRateDto>.Ok(ExchangeRateDto.From(rate));
        }
    }

    public static void Map(RouteGroupBuilder rates) =>
        rates.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("exchange rate", _ => TypedResults.NoContent()))
            .WithName("DeleteExchangeRate")
            .WithSummary("Delete an exchange rate")
            .WithDescription("Send the ETag (or *) in If-Match. Conversions then use the currency's previous rate from that day on.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
