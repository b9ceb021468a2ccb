using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Workspaces;

namespace Rapport.Modules.Identity.Users;

/// <summary>A person with one sign-in; memberships give them a place in workspaces.</summary>
public sealed class User
{
    public const int EmailMaxLength = 254;
    public const int DisplayNameMaxLength = 100;
    public const int PasswordMinLength = 10;
    public const int PasswordMaxLength = 128;

    private User() { }

    public Guid Id { get; private init; } = Guid.CreateVersion7();
    public string Email { get; private set; } = "";
    /// <summary>Upper-cased email for the unique index and look-ups.</summary>
    public string NormalizedEmail { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    /// <summary>UI language: <c>en</c> or <c>zh-Hans</c>.</summary>
    public string Language { get; private set; } = "en";
    public DateTimeOffset CreatedAt { get; private init; }
    public int Version { get; private set; } = 1;
    public int FailedSignIns { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
    /// <summary>
    /// Changes whenever existing sign-ins must end (a password reset). Cookies carry the value they
    /// were issued with and are refused once it differs. Empty for accounts created before it existed.
    /// </summary>
    public string SecurityStamp { get; private set; } = "";
    public const int SecurityStampLength = 32;

    /// <summary>Failed attempts in a row that lock the sign-in for <see cref="LockoutDuration"/>.</summary>
    public const int LockoutThreshold = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public void SignInFailed(DateTimeOffset now)
    {
        if (++FailedSignIns >= LockoutThreshold)
        {
            LockedUntil = now + LockoutDuration;
            FailedSignIns = 0;
        }
    }

    public void SignInSucceeded()
    {
        FailedSignIns = 0;
        LockedUntil = null;
    }

    public static User Create(string email, string displayName, string language, DateTimeOffset now) => new()
    {
        Email = email.Trim(),
        NormalizedEmail = Normalize(email),
        DisplayName = displayName.Trim(),
        Language = language,
        CreatedAt = now,
        SecurityStamp = NewSecurityStamp(),
    };

    private static string NewSecurityStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(SecurityStampLength / 2));

    /// <summary>Ends every cookie sign-in of this person (they carry the old stamp).</summary>
    public void RotateSecurityStamp() => SecurityStamp = NewSecurityStamp();

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    public void SetPasswordHash(string hash) => PasswordHash = hash;

    public void ChangeLanguage(string language) => Language = language;

    public void Rename(string displayName) => DisplayName = displayName.Trim();
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("identity_users");
        b.HasKey(u => u.Id);
        b.Property(u => u.Email).HasMaxLength(User.EmailMaxLength);
        b.Property(u => u.NormalizedEmail).HasMaxLength(User.EmailMaxLength);
        b.Property(u => u.DisplayName).HasMaxLength(User.DisplayNameMaxLength);
        b.Property(u => u.PasswordHash).HasMaxLength(200);
        b.Property(u => u.Language).HasMaxLength(10);
        b.Property(u => u.SecurityStamp).HasMaxLength(User.SecurityStampLength);
        b.Property(u => u.Version).IsConcurrencyToken();
        b.HasIndex(u => u.NormalizedEmail).IsUnique();
    }
}

/// <summary>Memberships point at users; declared here so the kernel knows nothing of the Identity module.</summary>
internal sealed class MembershipUserConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> b) =>
        b.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Restrict);
}
