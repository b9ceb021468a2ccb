using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;
using Rapport.Modules.Identity.Tokens;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.PasswordReset;

/// <summary>
/// A password reset link's token: random, only its SHA-256 hash stored, usable once, for
/// <see cref="Lifetime"/>. Using one uses up every other open link of the same person.
/// </summary>
public sealed class PasswordResetToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private PasswordResetToken() { }

    public Guid Id { get; private init; } = Ids.NewV7();
    public Guid UserId { get; private init; }
    public string TokenHash { get; private init; } = "";
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset ExpiresAt { get; private init; }
    public DateTimeOffset? UsedAt { get; private set; }

    /// <summary>Creates a token; the plain text goes into the mailed link and is never stored.</summary>
    public static (PasswordResetToken Token, string PlainText) Issue(Guid userId, DateTimeOffset now)
    {
        var plain = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (new PasswordResetToken { UserId = userId, TokenHash = AccessToken.Hash(plain), CreatedAt = now, ExpiresAt = now + Lifetime }, plain);
    }

    public bool IsUsableAt(DateTimeOffset now) => UsedAt is null && ExpiresAt > now;

    public void Use(DateTimeOffset now) => UsedAt ??= now;
}

internal sealed class PasswordResetTokenConfiguration : IEntityTypeConfiguration<PasswordResetToken>
{
    public void Configure(EntityTypeBuilder<PasswordResetToken> b)
    {
        b.ToTable("identity_password_resets");
        b.HasKey(t => t.Id);
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => new { t.UserId, t.ExpiresAt });
        b.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
