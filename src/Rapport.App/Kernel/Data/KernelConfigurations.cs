using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Workspaces;

namespace Rapport.Kernel.Data;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> b)
    {
        b.ToTable("kernel_workspaces");
        b.HasKey(w => w.Id);
        b.Property(w => w.Name).HasMaxLength(Workspace.NameMaxLength);
        b.Property(w => w.TimeZone).HasMaxLength(Workspace.TimeZoneMaxLength);
        b.Property(w => w.BaseCurrency).HasMaxLength(3);
        b.Property(w => w.DefaultCountry).HasMaxLength(2);
        b.PrimitiveCollection(w => w.Languages);
        b.Property(w => w.Address).HasMaxLength(Workspace.AddressMaxLength);
        b.Property(w => w.LogoContentType).HasMaxLength(20);
        b.Property(w => w.Version).IsConcurrencyToken();
    }
}

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> b)
    {
        b.ToTable("kernel_memberships");
        b.HasKey(m => new { m.WorkspaceId, m.UserId });
        b.HasOne<Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(m => m.UserId);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("kernel_audit_entries");
        b.HasKey(a => new { a.WorkspaceId, a.Id });
        b.Property(a => a.Action).HasMaxLength(AuditEntry.ActionMaxLength);
        b.Property(a => a.EntityType).HasMaxLength(AuditEntry.EntityTypeMaxLength);
        b.Property(a => a.TraceId).HasMaxLength(AuditEntry.TraceIdMaxLength);
        b.HasOne<Workspace>().WithMany().HasForeignKey(a => a.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.WorkspaceId, a.EntityType, a.EntityId, a.At });
        b.HasIndex(a => new { a.WorkspaceId, a.At });
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.ToTable("kernel_teams");
        b.HasKey(t => new { t.WorkspaceId, t.Id });
        b.Property(t => t.Name).HasMaxLength(Team.NameMaxLength);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.HasIndex(t => new { t.WorkspaceId, t.Name }).IsUnique();
        b.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(t => t.Members).WithOne().HasForeignKey(m => new { m.WorkspaceId, m.TeamId }).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> b)
    {
        b.ToTable("kernel_team_members");
        b.HasKey(m => new { m.WorkspaceId, m.TeamId, m.UserId });
        b.HasOne<Membership>().WithMany().HasForeignKey(m => new { m.WorkspaceId, m.UserId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => new { m.WorkspaceId, m.UserId });
    }
}
