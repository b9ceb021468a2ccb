using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Records;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Collaboration.Activities;

/// <summary>
/// Links one activity (a note, a file; later emails, calls, meetings) to one record it concerns (a contact, a company,
/// later a deal), so the activity shows on every timeline it concerns (DESIGN.md "Activities"). Adding and removing
/// links is audited.
/// </summary>
[EntityName("activityLink")]
public sealed class ActivityLink : WorkspaceEntity
{
    public const int TypeMaxLength = 32;
    /// <summary>An activity links to at most this many records.</summary>
    public const int MaxLinks = 20;

    private ActivityLink() { }

    public Guid ActivityId { get; private init; }
    /// <summary><c>note</c>, <c>file</c>…</summary>
    public string ActivityType { get; private init; } = "";
    /// <summary>The linked record's type: <c>contact</c>, <c>company</c>…</summary>
    public string EntityType { get; private init; } = "";
    public Guid RecordId { get; private init; }

    public RecordRef Record => new(EntityType, RecordId);

    public static ActivityLink Create(string activityType, Guid activityId, RecordRef record) =>
        new() { ActivityType = activityType, ActivityId = activityId, EntityType = record.EntityType, RecordId = record.RecordId };
}

internal sealed class ActivityLinkConfiguration : IEntityTypeConfiguration<ActivityLink>
{
    public void Configure(EntityTypeBuilder<ActivityLink> b)
    {
        b.ToTable("collaboration_activity_links");
        b.HasKey(l => new { l.WorkspaceId, l.Id });
        b.Property(l => l.ActivityType).HasMaxLength(ActivityLink.TypeMaxLength);
        b.Property(l => l.EntityType).HasMaxLength(ActivityLink.TypeMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(l => l.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(l => new { l.WorkspaceId, l.ActivityId, l.EntityType, l.RecordId }).IsUnique();
        // A timeline reads one record's activities of one type.
        b.HasIndex(l => new { l.WorkspaceId, l.EntityType, l.RecordId, l.ActivityType });
    }
}
