using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Tokens;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Invitations;

/// <summary>
/// An admin's invitation for an email address to join the workspace with given roles. The link's
/// token is single-use, expires after <see cref="Lifetime"/>, and only its hash is stored.
/// </summary>
[EntityName("invitation")]
public sealed class Invitation : WorkspaceEntity
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private Invitation() { }

    private Invitation(Guid workspaceId) : base(workspaceId) { }

    public string Email { get; private set; } = "";
    public string NormalizedEmail { get; private set; } = "";
    public string TokenHash { get; private set; } = "";
    public List<Guid> RoleIds { get; private set; } = [];
    public Guid InvitedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public Guid? AcceptedBy { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public int Version { get; private set; } = 1;

    public static (Invitation Invitation, string Token) Create(Guid workspaceId, string email, IEnumerable<Guid> roleIds, Guid invitedBy, DateTimeOffset now)
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (new Invitation(workspaceId)
        {
            Email = email.Trim(), NormalizedEmail = User.Normalize(email), TokenHash = AccessToken.Hash(token), RoleIds = [.. roleIds.Distinct()],
            InvitedBy = invitedBy, CreatedAt = now, ExpiresAt = now + Lifetime,
        }, token);
    }

    public bool IsOpenAt(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && ExpiresAt > now;

    public void Accept(Guid userId, DateTimeOffset now)
    {
        AcceptedAt = now;
        AcceptedBy = userId;
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> b)
    {
        b.ToTable("identity_invitations");
        b.HasKey(i => new { i.WorkspaceId, i.Id });
        b.Property(i => i.Email).HasMaxLength(User.EmailMaxLength);
        b.Property(i => i.NormalizedEmail).HasMaxLength(User.EmailMaxLength);
        b.Property(i => i.TokenHash).HasMaxLength(64);
        b.PrimitiveCollection(i => i.RoleIds);
        b.Property(i => i.Version).IsConcurrencyToken();
        b.HasIndex(i => i.TokenHash).IsUnique();
        b.HasIndex(i => new { i.WorkspaceId, i.CreatedAt });
        b.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
    }
}
