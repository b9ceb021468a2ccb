using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>
/// PATCH as a JSON merge patch over a draft's fields (If-Match); <c>lines</c>, when given, replace all lines. A quote that was sent
/// (or rejected, or expired) is not edited: <c>POST /quotes/{id}/revise</c> makes its next revision, a draft, and keeps it readable.
/// </summary>
public static class UpdateQuote
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, LookUpPrice.Handler prices)
    {
        public Task<Outcome<QuoteDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, current => JsonBody.Merge(current, patch), ct);

        public Task<Outcome<QuoteDto>> HandleAsync(Guid id, QuoteFields fields, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, _ => Outcome<QuoteFields>.Ok(fields), ct);

        private async Task<Outcome<QuoteDto>> ChangeAsync(Guid id, IfMatch ifMatch, Func<QuoteFields, Outcome<QuoteFields>> change, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<QuoteDto>.IfMatchRequired();
            }

            var (quote, refusal) = await QuoteRules.LoadForAsync(db, access, id, AccessAction.Update, false, ct);
            if (quote is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != quote.Version)
            {
                return Outcome<QuoteDto>.Stale();
            }

            if (quote.Status != QuoteStatuses.Draft || !quote.IsCurrent)
            {
                return Outcome<QuoteDto>.Conflict(quote.IsCurrent
                    ? $"A {quote.Status} quote is not edited. Revise it (POST /api/v1/quotes/{quote.Id}/revise) to change it in a new revision."
                    : "This revision was replaced by a later one; change that one.");
            }

            var current = QuoteDto.From(quote).Fields;
            var changed = change(current);
            if (!changed.IsOk)
            {
                return changed.As<QuoteDto>();
            }

            if (changed.Value!.DealId != quote.DealId)
            {
                return Outcome<QuoteDto>.Invalid("dealId", "A quote stays on its deal.");
            }

            if (await QuoteRules.ApplyAsync(db, prices, quote, changed.Value, ct) is { Count: > 0 } errors)
            {
                return Outcome<QuoteDto>.Invalid(errors);
            }

            return await SalesDocumentRules.SaveAsync(db, () => QuoteDto.From(quote), ct);
        }
    }

    public static void Map(RouteGroupBuilder quotes) =>
        quotes.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct)).ToHttp("quote", q =>
                {
                    ETags.Set(http.Response, q.Version);
                    return TypedResults.Ok(q);
                }))
            .WithName("UpdateQuote")
            .WithSummary("Change a draft quote (JSON merge patch, If-Match)")
            .WithDescription("lines, when given, replace every line (a line without unitPrice takes the price-book price again). Only a draft " +
                             "changes: a sent, rejected or expired quote answers 409 — revise it instead (POST /quotes/{id}/revise).")
            .Accepts<QuoteFields>("application/merge-patch+json", "application/json")
            .Produces<QuoteDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
