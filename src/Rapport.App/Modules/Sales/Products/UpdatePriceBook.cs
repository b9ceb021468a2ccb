using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Products;

/// <summary>PATCH a price book (merge patch, If-Match); <c>isDefault: true</c> moves the default to it.</summary>
public static class UpdatePriceBook
{
    public const string KeepOneDefault = "A workspace always has one default price book: make another book the default instead.";

    public sealed class Handler(RapportDbContext db, IAccessControl access)
    {
        public Task<Outcome<PriceBookDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            HandleAsync(id, current => JsonBody.Merge(current, patch), ifMatch, ct);

        public async Task<Outcome<PriceBookDto>> HandleAsync(Guid id, Func<PriceBookFields, Outcome<PriceBookFields>> change, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<PriceBookDto>.IfMatchRequired();
            }

            var (book, refusal) = await CatalogAccess.LoadForAsync<PriceBook, PriceBookDto>(db.Set<PriceBook>(), access, PriceBook.TypeName, id, AccessAction.Update, ct);
            if (book is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != book.Version)
            {
                return Outcome<PriceBookDto>.Stale();
            }

            var changed = change(book.Fields);
            if (!changed.IsOk)
            {
                return changed.As<PriceBookDto>();
            }

            // Leaving isDefault out (or null) keeps it as it is.
            var fields = changed.Value! with { IsDefault = changed.Value!.IsDefault ?? book.IsDefault };
            if (book.IsDefault && fields.IsDefault == false)
            {
                return Outcome<PriceBookDto>.Invalid("isDefault", KeepOneDefault);
            }

            if (await PriceBookRules.CheckAsync(db, fields, book.Id, ct) is { Count: > 0 } errors)
            {
                return Outcome<PriceBookDto>.Invalid(errors);
            }

            var becomesDefault = fields.IsDefault == true && !book.IsDefault;
            var previous = becomesDefault ? await PriceBookRules.DefaultAsync(db, ct) : null;
            var saved = await PriceBookRules.SaveAsync(db, previous, () =>
            {
                book.Change(fields);
                if (becomesDefault)
                {
                    book.BecomeDefault();
                }
            }, ct);
            return saved == PriceBookRules.SaveResult.Saved ? Outcome<PriceBookDto>.Ok(PriceBookDto.From(book)) : PriceBookRules.Refusal(saved);
        }
    }

    public static void Map(RouteGroupBuilder books) =>
        books.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct)).ToHttp("price book", b =>
                {
                    ETags.Set(http.Response, b.Version);
                    return TypedResults.Ok(b);
                }))
            .WithName("UpdatePriceBook")
            .WithSummary("Change a price book (JSON merge patch)")
            .WithDescription("Send the ETag in If-Match. {\"isDefault\":true} makes this book the default (the previous one stops being it); " +
                             "the default cannot be unset or made inactive directly.")
            .Accepts<PriceBookFields>("application/merge-patch+json", "application/json")
            .Produces<PriceBookDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
