using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Identity.Tokens;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.ApiKeys;

/// <summary>What an API key may do, on top of its owner's roles: read only, read and write, or also administer.</summary>
public enum ApiKeyScope { Read, Write, Admin }

/// <summary>
/// A named, scoped key an integration uses instead of a password. Shown once; only its hash is
/// stored; it can expire and be revoked at once; its last use is recorded.
/// </summary>
public sealed class ApiKey
{
    public const string Prefix = "rpk_";
    public const int NameMaxLength = 100;
    /// <summary>Last use is written at most this often, so keys do not cost a write per request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private ApiKey() { }

    public Guid Id { get; private init; } = Ids.NewV7();
    public Guid WorkspaceId { get; private init; }
    public Guid UserId { get; private init; }
    public string Name { get; private init; } = "";
    public ApiKeyScope Scope { get; private init; }
    /// <summary>The first characters of the key, to recognise it in lists.</summary>
    public string Hint { get; private init; } = "";
    public string KeyHash { get; private init; } = "";
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset? ExpiresAt { get; private init; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static (ApiKey Key, string PlainText) Create(Guid workspaceId, Guid userId, string name, ApiKeyScope scope, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var plain = Prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (new ApiKey
        {
            WorkspaceId = workspaceId, UserId = userId, Name = name.Trim(), Scope = scope, Hint = plain[..10], KeyHash = AccessToken.Hash(plain),
            CreatedAt = now, ExpiresAt = expiresAt,
        }, plain);
    }

    public bool MarkUsed(DateTimeOffset now)
    {
        if (LastUsedAt is { } last && now - last < LastUsedResolution)
        {
            return false;
        }

        LastUsedAt = now;
        return true;
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("identity_api_keys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength);
        b.Property(k => k.Scope).HasConversion<string>().HasMaxLength(10);
        b.Property(k => k.Hint).HasMaxLength(12);
        b.Property(k => k.KeyHash).HasMaxLength(64);
        b.HasIndex(k => k.KeyHash).IsUnique();
        b.HasIndex(k => new { k.WorkspaceId, k.UserId });
        b.HasOne<User>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Membership>().WithMany().HasForeignKey(k => new { k.WorkspaceId, k.UserId }).OnDelete(DeleteBehavior.Cascade);
    }
}
