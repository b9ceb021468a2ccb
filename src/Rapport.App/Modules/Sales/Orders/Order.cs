using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Sales.Deals;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.Orders;

/// <summary>The states of an order, through fulfilment: draft → confirmed → fulfilled, and cancelled from draft or confirmed.</summary>
public static class OrderStatuses
{
    public const string Draft = "draft";
    public const string Confirmed = "confirmed";
    public const string Fulfilled = "fulfilled";
    public const string Cancelled = "cancelled";
    public static readonly IReadOnlyList<string> All = [Draft, Confirmed, Fulfilled, Cancelled];

    /// <summary>Where an order in <paramref name="from"/> may go next.</summary>
    public static IReadOnlyList<string> Next(string from) => from switch
    {
        Draft => [Confirmed, Cancelled],
        Confirmed => [Fulfilled, Cancelled],
        _ => [],
    };
}

/// <summary>
/// What the customer of a deal ordered: made from an accepted quote (its lines copied as they were) or directly on the deal.
/// Lines change only while it is a draft. Owned like its deal.
/// </summary>
[EntityName(TypeName)]
public sealed class Order : BusinessRecord, IOwnedRecord, IDealDocument
{
    public const string TypeName = "order";

    private Order() { }

    private Order(Guid workspaceId) : base(workspaceId) { }

    public Guid DealId { get; private set; }
    /// <summary>The accepted quote it was made from.</summary>
    public Guid? QuoteId { get; private set; }
    /// <summary>SO-00001.</summary>
    public string Number { get; private set; } = "";
    public string Currency { get; private set; } = "";
    public string Status { get; private set; } = OrderStatuses.Draft;
    public string? Notes { get; private set; }
    public List<DocumentLine> Lines { get; private set; } = [];
    public decimal Subtotal { get; private set; }
    public decimal Tax { get; private set; }
    public decimal Total { get; private set; }
    public DateTimeOffset? ConfirmedAt { get; private set; }
    public DateTimeOffset? FulfilledAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public Guid? OwnerId { get; private set; }
    public Guid? TeamId { get; private set; }

    public static Order Create(Guid workspaceId, Deal deal, string number, Guid? by) =>
        new(workspaceId) { DealId = deal.Id, Number = number, OwnerId = deal.OwnerId ?? by, TeamId = deal.TeamId };

    /// <summary>The order an accepted quote becomes: its currency, notes and lines, confirmed by the acceptance.</summary>
    public static Order FromQuote(Quote quote, string number, DateTimeOffset now)
    {
        var order = new Order(quote.WorkspaceId)
        {
            DealId = quote.DealId, QuoteId = quote.Id, Number = number, OwnerId = quote.OwnerId, TeamId = quote.TeamId,
        };
        order.Change(quote.Currency, quote.Notes, [.. quote.Lines]);
        order.MoveTo(OrderStatuses.Confirmed, now);
        return order;
    }

    public void Change(string currency, string? notes, List<DocumentLine> lines)
    {
        Currency = currency;
        Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        Lines = lines;
        var totals = QuoteArithmetic.Compute(currency, lines.Select(l => l.Arithmetic));
        (Subtotal, Tax, Total) = (totals.Subtotal, totals.Tax, totals.Total);
    }

    /// <summary>Why the order cannot go to <paramref name="status"/>, or null.</summary>
    public string? RefusalToEnter(string status) =>
        OrderStatuses.Next(Status).Contains(status) ? null
        : OrderStatuses.Next(Status) is { Count: > 0 } next ? $"A {Status} order goes to {string.Join(" or ", next)}, not {status}."
        : $"A {Status} order is final.";

    public void MoveTo(string status, DateTimeOffset now)
    {
        Status = status;
        switch (status)
        {
            case OrderStatuses.Confirmed: ConfirmedAt = now; break;
            case OrderStatuses.Fulfilled: FulfilledAt = now; break;
            case OrderStatuses.Cancelled: CancelledAt = now; break;
        }
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("sales_orders");
        b.HasKey(o => new { o.WorkspaceId, o.Id });
        b.Property(o => o.Number).HasMaxLength(Quote.NumberMaxLength);
        b.Property(o => o.Currency).HasMaxLength(3);
        b.Property(o => o.Status).HasMaxLength(10);
        b.Property(o => o.Notes).HasMaxLength(Quote.NotesMaxLength);
        b.Property(o => o.Lines).HasConversion(DocumentLines.Converter, DocumentLines.Comparer);
        b.HasOne<Membership>().WithMany().HasForeignKey(o => new { o.WorkspaceId, o.OwnerId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(o => new { o.WorkspaceId, o.TeamId }).OnDelete(DeleteBehavior.Restrict);
        // A deal purged from the trash takes its orders with it; the quote link is checked on write (a quote may be purged alone).
        b.HasOne<Deal>().WithMany().HasForeignKey(o => new { o.WorkspaceId, o.DealId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(o => new { o.WorkspaceId, o.Number }).IsUnique();
        b.HasIndex(o => new { o.WorkspaceId, o.DealId });
        b.HasIndex(o => new { o.WorkspaceId, o.QuoteId });
        b.HasIndex(o => new { o.WorkspaceId, o.CreatedAt, o.Id });
        b.HasIndex(o => new { o.WorkspaceId, o.OwnerId });
    }
}
