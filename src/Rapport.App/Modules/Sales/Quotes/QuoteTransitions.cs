using System.Globalization;
using System.Text;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Mail;
using Rapport.Kernel.Security;
using Rapport.Kernel;
using Rapport.Modules.Sales.Orders;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>
/// A quote's life after the draft: send (draft → sent, optionally mailed as text), reject (draft or sent → rejected), revise
/// (sent, rejected or expired → a new draft revision; the old one stays readable) and accept (draft or sent → accepted, making
/// the order). Expired is set by <see cref="SalesContracts.SalesDocumentsDaily"/> once a sent quote's validUntil has passed. Action endpoints:
/// If-Match optional. A refused transition is a 409 problem saying why.
/// </summary>
public static class QuoteTransitions
{
    /// <param name="To">Optional: mail the quote (as text) to this address, when the server has a mail server.</param>
    public sealed record SendRequest(string? To = null);

    public sealed class SendValidator : AbstractValidator<SendRequest>
    {
        public SendValidator() => RuleFor(r => r.To).EmailAddress().MaximumLength(320).When(r => r.To is not null);
    }

    /// <summary>What an accepted quote answers: the quote and the order it became.</summary>
    public sealed record AcceptedQuote(QuoteDto Quote, OrderDto Order);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrencyConverter currency, IMailSender mail, TimeProvider clock)
    {
        public async Task<Outcome<QuoteDto>> SendAsync(Guid id, SendRequest request, IfMatch ifMatch, CancellationToken ct)
        {
            if (new SendValidator().Validate(request) is { IsValid: false } invalid)
            {
                return Outcome<QuoteDto>.Invalid(invalid);
            }

            if (request.To is not null && !mail.IsConfigured)
            {
                return Outcome<QuoteDto>.Invalid("to", "This server has no mail server set up, so it cannot mail the quote. Send it without an address.");
            }

            return await ActAsync(id, QuoteStatuses.Sent, ifMatch, async quote =>
            {
                quote.MarkSent(clock.GetUtcNow());
                if (request.To is { } to)
                {
                    var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == quote.WorkspaceId).Select(w => w.Name).SingleAsync(ct);
                    mail.Enqueue(db, Compose(to.Trim(), workspace, QuoteDto.From(quote)));
                }
            }, ct);
        }

        public Task<Outcome<QuoteDto>> RejectAsync(Guid id, IfMatch ifMatch, CancellationToken ct) =>
            ActAsync(id, QuoteStatuses.Rejected, ifMatch, quote =>
            {
                quote.Reject(clock.GetUtcNow());
                return Task.CompletedTask;
            }, ct);

        /// <summary>The next revision (a draft), with the lines of this one.</summary>
        public async Task<Outcome<QuoteDto>> ReviseAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            Quote? next = null;
            var outcome = await ActAsync(id, QuoteStatuses.Draft, ifMatch, quote =>
            {
                next = quote.Revise();
                db.Add(next);
                return Task.CompletedTask;
            }, ct);
            return outcome.IsOk ? Outcome<QuoteDto>.Ok(QuoteDto.From(next!)) : outcome;
        }

        public async Task<Outcome<AcceptedQuote>> AcceptAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (await SalesDocumentRules.RequireCreateAsync<AcceptedQuote>(access, Order.TypeName, "orders, which accepting a quote makes", ct) is { } refused)
            {
                return refused;
            }

            Order? order = null;
            var outcome = await ActAsync(id, QuoteStatuses.Accepted, ifMatch, async quote =>
            {
                var now = clock.GetUtcNow();
                order = Order.FromQuote(quote, await OrderRules.NextNumberAsync(db, ct), now);
                db.Add(order);
                quote.Accept(order.Id, now);
            }, ct);
            return outcome.IsOk ? Outcome<AcceptedQuote>.Ok(new AcceptedQuote(outcome.Value!, OrderDto.From(order!))) : outcome.As<AcceptedQuote>();
        }

        private async Task<Outcome<QuoteDto>> ActAsync(Guid id, string to, IfMatch ifMatch, Func<Quote, Task> act, CancellationToken ct)
        {
            var (quote, refusal) = await QuoteRules.LoadForAsync(db, access, id, AccessAction.Update, false, ct);
            if (quote is null)
            {
                return refusal!;
            }

            if (ifMatch.Version is { } expected && expected != quote.Version)
            {
                return Outcome<QuoteDto>.Stale();
            }

            if (quote.RefusalToEnter(to, await currency.TodayAsync(ct)) is { } why)
            {
                return Outcome<QuoteDto>.Conflict(why, new Dictionary<string, object?> { ["currentStatus"] = quote.Status });
            }

            await act(quote);
            return await SalesDocumentRules.SaveAsync(db, () => QuoteDto.From(quote), ct);
        }
    }

    /// <summary>The quote as a plain-text mail: its lines and totals.</summary>
    public static OutgoingMail Compose(string to, string workspaceName, QuoteDto quote)
    {
        var minor = "F" + Currencies.MinorUnits(quote.Currency).ToString(CultureInfo.InvariantCulture);
        string Amount(decimal amount) => amount.ToString(minor, CultureInfo.InvariantCulture) + " " + quote.Currency;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Quote {quote.Number} (revision {quote.Revision}) from {workspaceName}");
        if (quote.ValidUntil is { } until)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Valid until {until:yyyy-MM-dd}");
        }

        text.AppendLine();
        foreach (var line in quote.Lines)
        {
            var discount = line.DiscountPercent > 0 ? $" −{line.DiscountPercent.ToString(CultureInfo.InvariantCulture)}%" : "";
            var tax = line.Tax > 0 ? $" + tax {Amount(line.Tax)} ({line.TaxRatePercent.ToString("0.####", CultureInfo.InvariantCulture)}%)" : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"{line.Description}: {line.Quantity:0.####} × {line.UnitPrice:0.####}{discount} = {Amount(line.Net)}{tax}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Subtotal: {Amount(quote.Subtotal)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Tax: {Amount(quote.Tax)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Total: {Amount(quote.Total)}");
        if (quote.Notes is { } notes)
        {
            text.AppendLine().AppendLine(notes);
        }

        var subject = string.Join(' ', $"Quote {quote.Number} from {workspaceName}".Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return new OutgoingMail("quote", to, subject, text.ToString());
    }

    public static void Map(RouteGroupBuilder quotes)
    {
        quotes.MapPost("/{id:guid}/send", async (Guid id, SendRequest? body, Handler handler, HttpContext http, CancellationToken ct) =>
                Answer(http, await handler.SendAsync(id, body ?? new SendRequest(), ETags.ReadIfMatch(http.Request), ct)))
            .WithName("SendQuote")
            .WithSummary("Mark a quote sent, optionally mailing it")
            .WithDescription("From draft (or sent again). to: an address to mail the quote to as text (400 when the server has no mail server). " +
                             "A quote past its validUntil is not sent (409): revise it.")
            .Accepts<SendRequest>("application/json")
            .Produces<QuoteDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        quotes.MapPost("/{id:guid}/reject", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                Answer(http, await handler.RejectAsync(id, ETags.ReadIfMatch(http.Request), ct)))
            .WithName("RejectQuote")
            .WithSummary("Record that the customer rejected a quote")
            .WithDescription("From draft or sent.")
            .Produces<QuoteDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        quotes.MapPost("/{id:guid}/revise", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.ReviseAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("quote", q =>
                {
                    ETags.Set(http.Response, q.Version);
                    return TypedResults.Created($"/api/v1/quotes/{q.Id}", q);
                }))
            .WithName("ReviseQuote")
            .WithSummary("Make the next revision of a sent, rejected or expired quote")
            .WithDescription("Answers the new revision: a draft with the same number, revision + 1 and the same lines, to edit and send. " +
                             "The earlier revision stays readable, with revisedById pointing at the new one, and changes no more.")
            .Produces<QuoteDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        quotes.MapPost("/{id:guid}/accept", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.AcceptAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp("quote", a =>
                {
                    http.Response.Headers.Location = $"/api/v1/orders/{a.Order.Id}";
                    ETags.Set(http.Response, a.Order.Version);
                    return TypedResults.Created($"/api/v1/orders/{a.Order.Id}", a.Order);
                }))
            .WithName("AcceptQuote")
            .WithSummary("Accept a quote: it becomes an order")
            .WithDescription("From draft or sent, within validUntil. Answers 201 with the order (status confirmed, the quote's lines copied, the same totals); " +
                             "the quote is accepted and names the order in orderId. Needs the right to create orders.")
            .Produces<OrderDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
    }

    private static IResult Answer(HttpContext http, Outcome<QuoteDto> outcome) => outcome.ToHttp("quote", q =>
    {
        ETags.Set(http.Response, q.Version);
        return TypedResults.Ok(q);
    });
}
