using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>"Not a duplicate": a pair of records someone looked at and kept apart; the finder stops listing it.</summary>
[EntityName("duplicateDismissal")]
public sealed class DuplicateDismissal : WorkspaceEntity
{
    private DuplicateDismissal() { }

    /// <summary>The entity type of both records (<c>contact</c>, <c>company</c>).</summary>
    public string EntityType { get; private init; } = "";
    /// <summary>The smaller of the two ids, so a pair is stored once whichever way round it was dismissed.</summary>
    public Guid FirstId { get; private init; }
    public Guid SecondId { get; private init; }
    public Guid? DismissedBy { get; private init; }
    public DateTimeOffset DismissedAt { get; private init; }

    public static DuplicateDismissal Create(string entityType, Guid a, Guid b, Guid? by, DateTimeOffset at)
    {
        var (first, second) = Order(a, b);
        return new() { EntityType = entityType, FirstId = first, SecondId = second, DismissedBy = by, DismissedAt = at };
    }

    public static (Guid First, Guid Second) Order(Guid a, Guid b) => a.CompareTo(b) < 0 ? (a, b) : (b, a);
}

internal sealed class DuplicateDismissalConfiguration : IEntityTypeConfiguration<DuplicateDismissal>
{
    public void Configure(EntityTypeBuilder<DuplicateDismissal> b)
    {
        b.ToTable("customers_duplicate_dismissals");
        b.HasKey(d => new { d.WorkspaceId, d.Id });
        b.Property(d => d.EntityType).HasMaxLength(AuditEntry.EntityTypeMaxLength);
        b.HasIndex(d => new { d.WorkspaceId, d.EntityType, d.FirstId, d.SecondId }).IsUnique();
    }
}
