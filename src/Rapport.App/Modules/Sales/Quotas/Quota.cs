using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Sales.Forecasts;

namespace Rapport.Modules.Sales.Quotas;

/// <summary>
/// What a salesperson is expected to win in a period (a month or a fiscal quarter), in the workspace's base currency.
/// Set by those who manage quotas (administrators and sales managers); everyone else reads their own.
/// </summary>
[EntityName(TypeName)]
public sealed class Quota : BusinessRecord, IOwnedRecord
{
    public const string TypeName = "quota";
    public const decimal MaxAmount = 99_999_999_999_999m;

    private Quota() { }

    public Guid UserId { get; private set; }
    /// <summary>A <see cref="SalesPeriod"/>: <c>2026-11</c> or <c>2026-Q4</c>.</summary>
    public string Period { get; private set; } = "";
    public decimal Amount { get; private set; }
    /// <summary>The base currency when the quota was set: should the workspace change it, the quota stops counting rather than mislead.</summary>
    public string Currency { get; private set; } = "";

    // Workspace configuration like rates: no owner or team (access is decided by the quota rights, see QuotaAccess).
    Guid? IOwnedRecord.OwnerId => null;
    Guid? IOwnedRecord.TeamId => null;

    public static Quota Create(Guid userId, SalesPeriod period, decimal amount, string currency) =>
        new() { UserId = userId, Period = period.ToString(), Amount = Round(amount), Currency = currency };

    public void ChangeAmount(decimal amount) => Amount = Round(amount);

    private static decimal Round(decimal amount) => Math.Round(amount, Kernel.Money.StoredDecimals, MidpointRounding.AwayFromZero);
}

/// <summary>The body of <c>POST /quotas</c> (and, amount only, of PATCH).</summary>
public sealed record QuotaFields(Guid? UserId, string? Period, decimal? Amount);

public sealed record QuotaDto(Guid Id, Guid UserId, string Period, decimal Amount, string Currency, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public static QuotaDto From(Quota q) => new(q.Id, q.UserId, q.Period, q.Amount, q.Currency, q.CreatedAt, q.UpdatedAt, q.Version);
}

public sealed class QuotaFieldsValidator : AbstractValidator<QuotaFields>
{
    public QuotaFieldsValidator()
    {
        RuleFor(q => q.UserId).NotNull().WithMessage("userId (a member of the workspace) is required.");
        RuleFor(q => q.Period).Must(p => SalesPeriod.TryParse(p, out _)).WithMessage($"Period must be {SalesPeriod.Format}, e.g. 2026-11 or 2026-Q4.");
        RuleFor(q => q.Amount).NotNull().WithMessage("Amount is required.")
            .GreaterThanOrEqualTo(0m).WithMessage("Amount must not be negative.")
            .LessThanOrEqualTo(Quota.MaxAmount).WithMessage("Amount is too large.")
            .Must(a => a is null || decimal.Round(a.Value, Kernel.Money.StoredDecimals) == a.Value)
            .WithMessage($"Amount has at most {Kernel.Money.StoredDecimals} decimals.");
    }
}

internal sealed class QuotaConfiguration : IEntityTypeConfiguration<Quota>
{
    public void Configure(EntityTypeBuilder<Quota> b)
    {
        b.ToTable("sales_quotas");
        b.HasKey(q => new { q.WorkspaceId, q.Id });
        b.Property(q => q.Period).HasMaxLength(SalesPeriod.MaxLength);
        b.Property(q => q.Currency).HasMaxLength(3);
        b.Property(q => q.Amount).HasPrecision(18, Kernel.Money.StoredDecimals);
        b.HasOne<Workspace>().WithMany().HasForeignKey(q => q.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Membership>().WithMany().HasForeignKey(q => new { q.WorkspaceId, q.UserId }).OnDelete(DeleteBehavior.Restrict);
        // One quota per person and period.
        b.HasIndex(q => new { q.WorkspaceId, q.UserId, q.Period }).IsUnique().HasFilter("deleted_at IS NULL");
        b.HasIndex(q => new { q.WorkspaceId, q.Period });
        b.HasIndex(q => new { q.WorkspaceId, q.DeletedAt });
    }
}
