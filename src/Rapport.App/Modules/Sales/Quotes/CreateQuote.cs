using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;

namespace Rapport.Modules.Sales.Quotes;

public static class CreateQuote
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, IAccessControl access, LookUpPrice.Handler prices)
    {
        public async Task<Outcome<QuoteDto>> HandleAsync(QuoteFields fields, CancellationToken ct)
        {
            if (await SalesDocumentRules.RequireCreateAsync<QuoteDto>(access, Quote.TypeName, "quotes", ct) is { } refused)
            {
                return refused;
            }

            if (await SalesDocumentRules.ReadableDealAsync(db, access, fields.DealId, ct) is not { } deal)
            {
                return Outcome<QuoteDto>.Invalid(SalesDocumentRules.NoDeal(fields.DealId));
            }

            var quote = Quote.Create(currentUser.WorkspaceId!.Value, deal, await QuoteRules.NextNumberAsync(db, ct), currentUser.UserId);
            if (await QuoteRules.ApplyAsync(db, prices, quote, fields with { Currency = fields.Currency ?? deal.Currency }, ct) is { Count: > 0 } errors)
            {
                return Outcome<QuoteDto>.Invalid(errors);
            }

            db.Add(quote);
            return await SalesDocumentRules.SaveAsync(db, () => QuoteDto.From(quote), ct);
        }
    }

    public static void Map(RouteGroupBuilder quotes) =>
        quotes.MapPost("/", async (JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<QuoteFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<QuoteDto>.Invalid(fields.Errors);
                return outcome.ToHttp("quote", q =>
                {
                    ETags.Set(http.Response, q.Version);
                    return TypedResults.Created($"/api/v1/quotes/{q.Id}", q);
                });
            })
            .WithName("CreateQuote")
            .WithSummary("Create a quote on a deal")
            .WithDescription("A draft numbered Q-00001…, owned like its deal. currency defaults to the deal's; a product line without unitPrice takes the " +
                             "product's price in that currency from priceBookId (default: the workspace's default book); without description, the product's name. " +
                             "Answered with each line's net and tax and the quote's subtotal, tax and total. Accepts Idempotency-Key.")
            .Accepts<QuoteFields>("application/json")
            .Produces<QuoteDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
