using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Security;
using Rapport.Modules.Sales.Products;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.Orders;

/// <summary>The writable fields of an order made directly on a deal (<c>currency</c> defaults to the deal's; lines as a quote's).</summary>
public sealed record OrderFields(Guid? DealId = null, string? Currency = null, Guid? PriceBookId = null, string? Notes = null, IReadOnlyList<LineFields>? Lines = null);

/// <summary>An order as the API shows it, with its lines' net and tax and its totals computed as a quote's.</summary>
public sealed record OrderDto(
    Guid Id, Guid DealId, Guid? QuoteId, string Number, string Currency, string Status, string? Notes, IReadOnlyList<LineDto> Lines,
    decimal Subtotal, decimal Tax, decimal Total, DateTimeOffset? ConfirmedAt, DateTimeOffset? FulfilledAt, DateTimeOffset? CancelledAt,
    Guid? OwnerId, Guid? TeamId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    public static OrderDto From(Order o) => new(
        o.Id, o.DealId, o.QuoteId, o.Number, o.Currency, o.Status, o.Notes, DocumentLines.Compute(o.Currency, o.Lines).Lines,
        o.Subtotal, o.Tax, o.Total, o.ConfirmedAt, o.FulfilledAt, o.CancelledAt, o.OwnerId, o.TeamId, o.CreatedAt, o.UpdatedAt, o.DeletedAt, o.Version);

    public OrderFields Fields => new(DealId, Currency, null, Notes,
        [.. Lines.Select(l => new LineFields(l.ProductId, l.Description, l.Quantity, l.UnitPrice, l.DiscountPercent, l.TaxRatePercent))]);
}

internal static class OrderRules
{
    public static readonly FieldCatalog<Order> Fields = new FieldCatalog<Order>()
        .Id("id", o => o.Id)
        .Id("dealId", o => o.DealId)
        .Id("quoteId", o => o.QuoteId)
        .Text("number", o => o.Number)
        .Text("currency", o => o.Currency)
        .Text("status", o => o.Status)
        .Number("total", o => o.Total)
        .Id("ownerId", o => o.OwnerId)
        .Id("teamId", o => o.TeamId)
        .Instant("confirmedAt", o => o.ConfirmedAt)
        .Instant("fulfilledAt", o => o.FulfilledAt)
        .Instant("createdAt", o => o.CreatedAt)
        .Instant("updatedAt", o => o.UpdatedAt)
        .Instant("deletedAt", o => o.DeletedAt);

    public static Task<string> NextNumberAsync(RapportDbContext db, CancellationToken ct) =>
        SalesDocumentRules.NextNumberAsync(db.Set<Order>(), q => q.Select(x => x.Number), "SO-", ct);

    public static async Task<Dictionary<string, string[]>> ApplyAsync(RapportDbContext db, LookUpPrice.Handler prices, Order order, OrderFields fields, CancellationToken ct)
    {
        var currency = fields.Currency?.Trim().ToUpperInvariant();
        var errors = DocumentLines.CheckCurrency(currency);
        if (fields.Notes?.Trim().Length > Quote.NotesMaxLength)
        {
            errors["notes"] = [$"At most {Quote.NotesMaxLength} characters."];
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var (lines, lineErrors) = await DocumentLines.ResolveAsync(db, prices, currency!, fields.PriceBookId, fields.Lines, ct);
        if (lineErrors.Count > 0)
        {
            return lineErrors;
        }

        order.Change(currency!, fields.Notes, lines);
        return [];
    }

    public static Task<(Order? Order, Outcome<OrderDto>? Refusal)> LoadForAsync(
        RapportDbContext db, IAccessControl access, Guid id, AccessAction action, CancellationToken ct) =>
        SalesDocumentRules.LoadForAsync<Order, OrderDto>(db, access, Order.TypeName, id, action, false, ct);

    public static Task<IQueryable<Order>> VisibleAsync(RapportDbContext db, IAccessControl access, CancellationToken ct) =>
        access.ScopeAsync(db.Set<Order>().AsNoTracking().OfLiveDeals(db), Order.TypeName, AccessAction.Read, ct);
}
