using Rapport.Kernel.Filtering;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>
/// The writable fields of a quote. <c>currency</c> defaults to the deal's; a line's <c>unitPrice</c> to the product's price in that
/// currency in <c>priceBookId</c> (default: the workspace's default book). <c>dealId</c> is set when the quote is made.
/// </summary>
public sealed record QuoteFields(
    Guid? DealId = null, string? Currency = null, DateOnly? ValidUntil = null, Guid? PriceBookId = null, string? Notes = null,
    IReadOnlyList<LineFields>? Lines = null);

/// <summary>
/// A quote as the API shows it: its lines with their <c>net</c> and <c>tax</c>, and <c>subtotal</c>, <c>tax</c> and <c>total</c>, all
/// computed on the server in decimal, rounded half away from zero to the currency's minor units. <c>revision</c> counts the versions
/// of the quote <c>number</c>; <c>revisedById</c> points at the revision that replaced this one. <c>version</c> is the ETag's.
/// </summary>
public sealed record QuoteDto(
    Guid Id, Guid DealId, string Number, int Revision, string Currency, string Status, DateOnly? ValidUntil, Guid? PriceBookId, string? Notes,
    IReadOnlyList<LineDto> Lines, decimal Subtotal, decimal Tax, decimal Total, DateTimeOffset? SentAt, DateTimeOffset? DecidedAt, Guid? OrderId,
    Guid? RevisedById, Guid? OwnerId, Guid? TeamId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, int Version)
{
    public static QuoteDto From(Quote q) => new(
        q.Id, q.DealId, q.Number, q.Revision, q.Currency, q.Status, q.ValidUntil, q.PriceBookId, q.Notes,
        DocumentLines.Compute(q.Currency, q.Lines).Lines, q.Subtotal, q.Tax, q.Total, q.SentAt, q.DecidedAt, q.OrderId,
        q.RevisedById, q.OwnerId, q.TeamId, q.CreatedAt, q.UpdatedAt, q.DeletedAt, q.Version);

    public QuoteFields Fields => new(DealId, Currency, ValidUntil, PriceBookId, Notes,
        [.. Lines.Select(l => new LineFields(l.ProductId, l.Description, l.Quantity, l.UnitPrice, l.DiscountPercent, l.TaxRatePercent))]);
}

public static class QuoteCatalog
{
    public static readonly FieldCatalog<Quote> Fields = new FieldCatalog<Quote>()
        .Id("id", q => q.Id)
        .Id("dealId", q => q.DealId)
        .Text("number", q => q.Number)
        .Number("revision", q => q.Revision)
        .Text("currency", q => q.Currency)
        .Text("status", q => q.Status)
        .Date("validUntil", q => q.ValidUntil)
        .Number("total", q => q.Total)
        .Id("orderId", q => q.OrderId)
        .Id("revisedById", q => q.RevisedById)
        .Id("ownerId", q => q.OwnerId)
        .Id("teamId", q => q.TeamId)
        .Instant("sentAt", q => q.SentAt)
        .Instant("createdAt", q => q.CreatedAt)
        .Instant("updatedAt", q => q.UpdatedAt)
        .Instant("deletedAt", q => q.DeletedAt);
}
