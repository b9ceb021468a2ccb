using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Sessions;

/// <summary>
/// A browser sign-in, kept on the server so that signing out, deactivation or a password reset end
/// it everywhere, and so that idle and absolute timeouts hold whatever the cookie says. Each sign-in
/// makes a new one (the cookie's session id rotates).
/// </summary>
public sealed class BrowserSession
{
    /// <summary>How often the last-seen time is written: idle timeouts need minutes, not every request.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    private BrowserSession() { }

    public Guid Id { get; private init; } = Ids.NewV7();
    public Guid UserId { get; private init; }
    public Guid WorkspaceId { get; private init; }
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset LastSeenAt { get; private set; }
    public string? Ip { get; private init; }
    public string? UserAgent { get; private init; }
    public DateTimeOffset? EndedAt { get; private set; }

    public static BrowserSession Start(Guid userId, Guid workspaceId, DateTimeOffset now, string? ip, string? userAgent) => new()
    {
        UserId = userId, WorkspaceId = workspaceId, CreatedAt = now, LastSeenAt = now, Ip = ip,
        UserAgent = userAgent is { Length: > SignIns.SignInAttempt.UserAgentMaxLength } ? userAgent[..SignIns.SignInAttempt.UserAgentMaxLength] : userAgent,
    };

    public bool IsAliveAt(DateTimeOffset now, TimeSpan idle, TimeSpan absolute) =>
        EndedAt is null && now - LastSeenAt < idle && now - CreatedAt < absolute;

    public bool Touch(DateTimeOffset now)
    {
        if (now - LastSeenAt < LastSeenResolution)
        {
            return false;
        }

        LastSeenAt = now;
        return true;
    }

    public void End(DateTimeOffset now) => EndedAt ??= now;
}

internal sealed class BrowserSessionConfiguration : IEntityTypeConfiguration<BrowserSession>
{
    public void Configure(EntityTypeBuilder<BrowserSession> b)
    {
        b.ToTable("identity_browser_sessions");
        b.HasKey(s => s.Id);
        b.Property(s => s.Ip).HasMaxLength(64);
        b.Property(s => s.UserAgent).HasMaxLength(SignIns.SignInAttempt.UserAgentMaxLength);
        b.HasIndex(s => new { s.UserId, s.WorkspaceId });
        b.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Membership>().WithMany().HasForeignKey(s => new { s.WorkspaceId, s.UserId }).OnDelete(DeleteBehavior.Cascade);
    }
}
