using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Sales.Deals;

namespace Rapport.Modules.Sales.Quotes;

/// <summary>The states of a quote. Only a draft is edited; a sent, rejected or expired quote is revised into a new draft.</summary>
public static class QuoteStatuses
{
    public const string Draft = "draft";
    public const string Sent = "sent";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Expired = "expired";
    public static readonly IReadOnlyList<string> All = [Draft, Sent, Accepted, Rejected, Expired];
}

/// <summary>
/// An offer to the customer of a deal: priced lines and their totals (<see cref="QuoteArithmetic"/>), in one currency. Its
/// <see cref="Number"/> stays the same across revisions; each revision is a quote of its own (<see cref="Revision"/> 1, 2…), the
/// earlier ones kept readable and pointing at the one that replaced them. Owned like its deal: it takes the deal's owner and team.
/// </summary>
[EntityName(TypeName)]
public sealed class Quote : BusinessRecord, IOwnedRecord, IDealDocument
{
    public const string TypeName = "quote";
    public const int NumberMaxLength = 20;
    public const int NotesMaxLength = 4000;

    private Quote() { }

    private Quote(Guid workspaceId) : base(workspaceId) { }

    public Guid DealId { get; private set; }
    /// <summary>Q-00001: one per quote, shared by its revisions.</summary>
    public string Number { get; private set; } = "";
    /// <summary>1 for the first version; a revision is the next number.</summary>
    public int Revision { get; private set; } = 1;
    public string Currency { get; private set; } = "";
    public string Status { get; private set; } = QuoteStatuses.Draft;
    public DateOnly? ValidUntil { get; private set; }
    /// <summary>The book unit prices were taken from when lines left them out (default: the workspace's default book).</summary>
    public Guid? PriceBookId { get; private set; }
    public string? Notes { get; private set; }
    public List<DocumentLine> Lines { get; private set; } = [];
    public decimal Subtotal { get; private set; }
    public decimal Tax { get; private set; }
    public decimal Total { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    /// <summary>The order an accepted quote became.</summary>
    public Guid? OrderId { get; private set; }
    /// <summary>The revision that replaced this one; a replaced quote changes no more.</summary>
    public Guid? RevisedById { get; private set; }
    public Guid? OwnerId { get; private set; }
    public Guid? TeamId { get; private set; }

    public static Quote Create(Guid workspaceId, Deal deal, string number, Guid? by) =>
        new(workspaceId) { DealId = deal.Id, Number = number, OwnerId = deal.OwnerId ?? by, TeamId = deal.TeamId };

    /// <summary>Sets what a draft says; the totals follow the lines.</summary>
    public void Change(string currency, DateOnly? validUntil, Guid? priceBookId, string? notes, List<DocumentLine> lines)
    {
        Currency = currency;
        ValidUntil = validUntil;
        PriceBookId = priceBookId;
        Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        Lines = lines;
        var totals = QuoteArithmetic.Compute(currency, lines.Select(l => l.Arithmetic));
        (Subtotal, Tax, Total) = (totals.Subtotal, totals.Tax, totals.Total);
    }

    public bool IsCurrent => RevisedById is null;

    /// <summary>Why the quote cannot go to <paramref name="status"/> now, or null. <paramref name="today"/> is the workspace's date.</summary>
    public string? RefusalToEnter(string status, DateOnly today)
    {
        if (!IsCurrent)
        {
            return $"Revision {Revision} of {Number} was replaced by a later revision; act on that one.";
        }

        var allowed = status switch
        {
            QuoteStatuses.Sent => Status is QuoteStatuses.Draft or QuoteStatuses.Sent,
            QuoteStatuses.Accepted or QuoteStatuses.Rejected => Status is QuoteStatuses.Draft or QuoteStatuses.Sent,
            QuoteStatuses.Expired => Status == QuoteStatuses.Sent,
            QuoteStatuses.Draft => Status is QuoteStatuses.Sent or QuoteStatuses.Rejected or QuoteStatuses.Expired, // by revising
            _ => false,
        };
        if (!allowed)
        {
            return status == QuoteStatuses.Draft
                ? $"The quote is {Status}: {(Status == QuoteStatuses.Draft ? "change the draft itself instead of revising it" : "it is final and is not revised")}."
                : $"The quote is {Status}; it cannot become {status}.";
        }

        return status is QuoteStatuses.Sent or QuoteStatuses.Accepted && ValidUntil is { } until && until < today
            ? $"The quote was valid until {until:yyyy-MM-dd}. Revise it with a new date."
            : null;
    }

    public void MarkSent(DateTimeOffset now)
    {
        Status = QuoteStatuses.Sent;
        SentAt ??= now;
    }

    public void Accept(Guid orderId, DateTimeOffset now)
    {
        Status = QuoteStatuses.Accepted;
        OrderId = orderId;
        DecidedAt = now;
    }

    public void Reject(DateTimeOffset now)
    {
        Status = QuoteStatuses.Rejected;
        DecidedAt = now;
    }

    public void Expire() => Status = QuoteStatuses.Expired;

    /// <summary>The next revision, a draft with this one's lines; this one points at it from now on.</summary>
    public Quote Revise()
    {
        var next = new Quote(WorkspaceId)
        {
            DealId = DealId, Number = Number, Revision = Revision + 1, OwnerId = OwnerId, TeamId = TeamId,
        };
        next.Change(Currency, ValidUntil, PriceBookId, Notes, [.. Lines]);
        RevisedById = next.Id;
        return next;
    }
}

internal sealed class QuoteConfiguration : IEntityTypeConfiguration<Quote>
{
    public void Configure(EntityTypeBuilder<Quote> b)
    {
        b.ToTable("sales_quotes");
        b.HasKey(q => new { q.WorkspaceId, q.Id });
        b.Property(q => q.Number).HasMaxLength(Quote.NumberMaxLength);
        b.Property(q => q.Currency).HasMaxLength(3);
        b.Property(q => q.Status).HasMaxLength(10);
        b.Property(q => q.Notes).HasMaxLength(Quote.NotesMaxLength);
        b.Property(q => q.Lines).HasConversion(DocumentLines.Converter, DocumentLines.Comparer);
        b.HasOne<Membership>().WithMany().HasForeignKey(q => new { q.WorkspaceId, q.OwnerId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(q => new { q.WorkspaceId, q.TeamId }).OnDelete(DeleteBehavior.Restrict);
        // A deal purged from the trash takes its quotes with it.
        b.HasOne<Deal>().WithMany().HasForeignKey(q => new { q.WorkspaceId, q.DealId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(q => new { q.WorkspaceId, q.Number, q.Revision }).IsUnique();
        b.HasIndex(q => new { q.WorkspaceId, q.DealId });
        b.HasIndex(q => new { q.WorkspaceId, q.CreatedAt, q.Id });
        b.HasIndex(q => new { q.WorkspaceId, q.OwnerId });
    }
}
