using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Sales.Deals;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.SalesContracts;

public static class ContractStatuses
{
    public const string Active = "active";
    public const string Ended = "ended";
    public const string Cancelled = "cancelled";
    public static readonly IReadOnlyList<string> All = [Active, Ended, Cancelled];
}

/// <summary>
/// An agreement with the customer of a deal (started from the deal or one of its orders): from <see cref="StartDate"/> to
/// <see cref="EndDate"/>, worth <see cref="Value"/> in <see cref="Currency"/>. With <see cref="ReminderDays"/>, the daily
/// <see cref="SalesDocumentsDaily"/> job marks the renewal reminder due that many days before the end; an auto-renewing contract
/// is renewed for another term of the same length when it ends, any other ends. Owned like its deal.
/// </summary>
[EntityName(TypeName)]
public sealed class Contract : BusinessRecord, IOwnedRecord, IDealDocument
{
    public const string TypeName = "contract";
    public const int NameMaxLength = 200;
    public const int MaxReminderDays = 365;

    private Contract() { }

    private Contract(Guid workspaceId) : base(workspaceId) { }

    public Guid DealId { get; private set; }
    public Guid? OrderId { get; private set; }
    public string Name { get; private set; } = "";
    public DateOnly StartDate { get; private set; }
    public DateOnly EndDate { get; private set; }
    public decimal Value { get; private set; }
    public string Currency { get; private set; } = "";
    public bool AutoRenew { get; private set; }
    /// <summary>Days before the end the renewal reminder falls due; none without.</summary>
    public int? ReminderDays { get; private set; }
    /// <summary>The date the reminder falls due (<see cref="EndDate"/> − <see cref="ReminderDays"/>), for the daily job's query.</summary>
    public DateOnly? ReminderDueOn { get; private set; }
    /// <summary>When the job marked this term's reminder due (cleared by a renewal or a new end date).</summary>
    public DateTimeOffset? RemindedAt { get; private set; }
    public string Status { get; private set; } = ContractStatuses.Active;
    public int Renewals { get; private set; }
    public Guid? OwnerId { get; private set; }
    public Guid? TeamId { get; private set; }

    public static Contract Create(Guid workspaceId, Deal deal, Guid? orderId, Guid? by) =>
        new(workspaceId) { DealId = deal.Id, OrderId = orderId, OwnerId = deal.OwnerId ?? by, TeamId = deal.TeamId };

    public void Change(ContractFields fields)
    {
        var termChanged = fields.EndDate != EndDate || fields.ReminderDays != ReminderDays;
        Name = fields.Name!.Trim();
        StartDate = fields.StartDate!.Value;
        EndDate = fields.EndDate!.Value;
        Value = fields.Value!.Value;
        Currency = fields.Currency!.Trim().ToUpperInvariant();
        AutoRenew = fields.AutoRenew ?? false;
        ReminderDays = fields.ReminderDays;
        ReminderDueOn = ReminderDays is { } days ? EndDate.AddDays(-days) : null;
        if (termChanged)
        {
            RemindedAt = null;
        }

        if (fields.Status is { } status)
        {
            Status = status;
        }
    }

    /// <summary>The reminder of this term fell due: marked once.</summary>
    public void Remind(DateTimeOffset now) => RemindedAt ??= now;

    /// <summary>The term is over on <paramref name="today"/>: another term of the same length, or the end.</summary>
    public void EndTerm(DateOnly today)
    {
        if (!AutoRenew)
        {
            Status = ContractStatuses.Ended;
            return;
        }

        var days = EndDate.DayNumber - StartDate.DayNumber;
        while (EndDate < today)
        {
            StartDate = EndDate.AddDays(1);
            EndDate = StartDate.AddDays(days);
            Renewals++;
        }

        ReminderDueOn = ReminderDays is { } reminder ? EndDate.AddDays(-reminder) : null;
        RemindedAt = null;
    }

    public ContractFields Fields => new(Name, DealId, OrderId, StartDate, EndDate, Value, Currency, AutoRenew, ReminderDays, Status);
}

internal sealed class ContractConfiguration : IEntityTypeConfiguration<Contract>
{
    public void Configure(EntityTypeBuilder<Contract> b)
    {
        b.ToTable("sales_contracts");
        b.HasKey(c => new { c.WorkspaceId, c.Id });
        b.Property(c => c.Name).HasMaxLength(Contract.NameMaxLength);
        b.Property(c => c.Currency).HasMaxLength(3);
        b.Property(c => c.Status).HasMaxLength(10);
        b.HasOne<Membership>().WithMany().HasForeignKey(c => new { c.WorkspaceId, c.OwnerId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(c => new { c.WorkspaceId, c.TeamId }).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Deal>().WithMany().HasForeignKey(c => new { c.WorkspaceId, c.DealId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.WorkspaceId, c.DealId });
        b.HasIndex(c => new { c.WorkspaceId, c.OrderId });
        b.HasIndex(c => new { c.WorkspaceId, c.EndDate });
        b.HasIndex(c => new { c.WorkspaceId, c.CreatedAt, c.Id });
        b.HasIndex(c => new { c.WorkspaceId, c.OwnerId });
        b.HasIndex(c => new { c.WorkspaceId, c.ReminderDueOn });
    }
}
