using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.Tokens;

/// <summary>
/// An opaque bearer token for the API. Only its SHA-256 hash is stored, so a copy of the
/// database gives no working tokens; revoking is deleting the row's validity at once.
/// </summary>
public sealed class AccessToken
{
    public const string Prefix = "rpt_";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private AccessToken() { }

    public Guid Id { get; private init; } = Ids.NewV7();
    public Guid UserId { get; private init; }
    public Guid WorkspaceId { get; private init; }
    public string TokenHash { get; private init; } = "";
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset ExpiresAt { get; private init; }
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Creates a token; the plain text is returned once and never stored.</summary>
    public static (AccessToken Token, string PlainText) Issue(Guid userId, Guid workspaceId, DateTimeOffset now)
    {
        var plain = Prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (new AccessToken
        {
            UserId = userId, WorkspaceId = workspaceId, TokenHash = Hash(plain), CreatedAt = now, ExpiresAt = now + Lifetime,
        }, plain);
    }

    public static string Hash(string plain) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(plain)));

    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> b)
    {
        b.ToTable("identity_access_tokens");
        b.HasKey(t => t.Id);
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.UserId);
        b.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Membership>().WithMany().HasForeignKey(t => new { t.WorkspaceId, t.UserId }).OnDelete(DeleteBehavior.Cascade);
    }
}
