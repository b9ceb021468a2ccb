using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Security.Sharing;

public enum ShareAccess { Read, Edit }

/// <summary>
/// One record shared with a member or a team, for reading or editing, on top of what their roles
/// allow (manual sharing). Listed and revocable on the record.
/// </summary>
[EntityName("share")]
public sealed class RecordShare : WorkspaceEntity
{
    private RecordShare() { }

    public string EntityType { get; private init; } = "";
    public Guid RecordId { get; private set; }
    public Guid? UserId { get; private init; }
    public Guid? TeamId { get; private init; }
    public ShareAccess Access { get; private set; }
    public Guid? SharedBy { get; private init; }
    public DateTimeOffset SharedAt { get; private init; }

    public static RecordShare Create(string entityType, Guid recordId, Guid? userId, Guid? teamId, ShareAccess access, Guid? by, DateTimeOffset now) =>
        new() { EntityType = entityType, RecordId = recordId, UserId = userId, TeamId = teamId, Access = access, SharedBy = by, SharedAt = now };

    public void Change(ShareAccess access) => Access = access;

    /// <summary>The shared record was merged: the share now opens the survivor.</summary>
    public void MoveTo(Guid recordId) => RecordId = recordId;
}

internal sealed class RecordShareConfiguration : IEntityTypeConfiguration<RecordShare>
{
    public void Configure(EntityTypeBuilder<RecordShare> b)
    {
        b.ToTable("kernel_record_shares");
        b.HasKey(s => new { s.WorkspaceId, s.Id });
        b.Property(s => s.EntityType).HasMaxLength(AuditEntry.EntityTypeMaxLength);
        b.Property(s => s.Access).HasConversion<string>().HasMaxLength(10);
        b.HasOne<Membership>().WithMany().HasForeignKey(s => new { s.WorkspaceId, s.UserId }).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Team>().WithMany().HasForeignKey(s => new { s.WorkspaceId, s.TeamId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.WorkspaceId, s.EntityType, s.RecordId });
        b.HasIndex(s => new { s.WorkspaceId, s.UserId });
        b.HasIndex(s => new { s.WorkspaceId, s.TeamId });
        b.ToTable(t => t.HasCheckConstraint("ck_kernel_record_shares_one_grantee", "(user_id IS NULL) <> (team_id IS NULL)"));
    }
}
