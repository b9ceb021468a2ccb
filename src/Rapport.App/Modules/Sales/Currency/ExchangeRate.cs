using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Sales.Currency;

/// <summary>
/// From <see cref="EffectiveFrom"/> on (until a later rate of the same currency), one unit of <see cref="Currency"/>
/// is worth <see cref="Rate"/> units of <see cref="BaseCurrency"/>. The base currency is the workspace's when the rate
/// was entered: should the workspace change its base currency, older rates stop counting rather than mislead.
/// </summary>
[EntityName(TypeName)]
public sealed class ExchangeRate : BusinessRecord, IOwnedRecord
{
    public const string TypeName = "exchange-rate";
    /// <summary>Decimals a rate keeps (1 VND is about 0.00028 CNY).</summary>
    public const int RateDecimals = 10;
    public const decimal MaxRate = 1_000_000_000m;

    private ExchangeRate() { }

    /// <summary>ISO 4217 code of the currency priced.</summary>
    public string Currency { get; private set; } = "";
    /// <summary>ISO 4217 code the rate is in: the workspace's base currency when the rate was entered.</summary>
    public string BaseCurrency { get; private set; } = "";
    /// <summary>Units of <see cref="BaseCurrency"/> one unit of <see cref="Currency"/> buys.</summary>
    public decimal Rate { get; private set; }
    public DateOnly EffectiveFrom { get; private set; }

    Guid? IOwnedRecord.OwnerId => null;
    Guid? IOwnedRecord.TeamId => null;

    public static ExchangeRate Create(string currency, string baseCurrency, decimal rate, DateOnly effectiveFrom) =>
        new() { Currency = currency, BaseCurrency = baseCurrency, Rate = rate, EffectiveFrom = effectiveFrom };
}

internal sealed class ExchangeRateConfiguration : IEntityTypeConfiguration<ExchangeRate>
{
    public void Configure(EntityTypeBuilder<ExchangeRate> b)
    {
        b.ToTable("sales_exchange_rates");
        b.HasKey(r => new { r.WorkspaceId, r.Id });
        b.Property(r => r.Currency).HasMaxLength(3);
        b.Property(r => r.BaseCurrency).HasMaxLength(3);
        b.Property(r => r.Rate).HasPrecision(10 + ExchangeRate.RateDecimals, ExchangeRate.RateDecimals);
        b.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        // One rate per currency and day; conversions read the latest rate on or before a day.
        b.HasIndex(r => new { r.WorkspaceId, r.BaseCurrency, r.Currency, r.EffectiveFrom }).IsUnique().HasFilter("deleted_at IS NULL");
        b.HasIndex(r => new { r.WorkspaceId, r.DeletedAt });
    }
}
