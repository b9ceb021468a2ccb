using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;
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

    public Guid Id { get; private init; } = Ids.NewV7();
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

    /// <summary>The TOTP secret, protected with Data Protection, once two-factor sign-in is on.</summary>
    public string? TwoFactorSecret { get; private set; }
    /// <summary>A secret set up but not yet confirmed with a code.</summary>
    public string? PendingTwoFactorSecret { get; private set; }
    public DateTimeOffset? TwoFactorEnabledAt { get; private set; }
    /// <summary>The last TOTP time step used: a code works once, and never an older one.</summary>
    public long TwoFactorLastStep { get; private set; }
    /// <summary>SHA-256 hashes of the unused recovery codes.</summary>
    public List<string> RecoveryCodeHashes { get; private set; } = [];
    public const int ProtectedSecretMaxLength = 1000;

    public bool HasTwoFactor => TwoFactorEnabledAt is not null;

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

    public void BeginTwoFactorSetup(string protectedSecret) => PendingTwoFactorSecret = protectedSecret;

    public void EnableTwoFactor(DateTimeOffset now, long usedStep, IEnumerable<string> recoveryCodeHashes)
    {
        TwoFactorSecret = PendingTwoFactorSecret ?? throw new InvalidOperationException("No two-factor set-up to confirm.");
        PendingTwoFactorSecret = null;
        TwoFactorEnabledAt = now;
        TwoFactorLastStep = usedStep;
        RecoveryCodeHashes = [.. recoveryCodeHashes];
    }

    public void DisableTwoFactor()
    {
        TwoFactorSecret = null;
        PendingTwoFactorSecret = null;
        TwoFactorEnabledAt = null;
        TwoFactorLastStep = 0;
        RecoveryCodeHashes = [];
    }

    /// <summary>Records a TOTP step as used; false when it is not newer than the last one (a replay).</summary>
    public bool UseTwoFactorStep(long step)
    {
        if (step <= TwoFactorLastStep)
        {
            return false;
        }

        TwoFactorLastStep = step;
        return true;
    }

    /// <summary>Consumes a recovery code by its hash; false when it is not one of the unused codes.</summary>
    public bool UseRecoveryCode(string hash)
    {
        var index = RecoveryCodeHashes.IndexOf(hash);
        if (index < 0)
        {
            return false;
        }

        // A new list, so the change tracker sees the collection change.
        RecoveryCodeHashes = [.. RecoveryCodeHashes.Where((_, i) => i != index)];
        return true;
    }

    /// <summary>Ends every cookie sign-in of this person (they carry the old stamp).</summary>
    public void RotateSecurityStamp() => SecurityStamp = NewSecurityStamp();

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    public void SetPasswordHash(string hash) => PasswordHash = hash;

    public void ChangeLanguage(string language) => Language = language;

    public void Rename(string displayName) => DisplayName = displayName.Trim();

    public void ChangeEmail(string email)
    {
        Email = email.Trim();
        NormalizedEmail = Normalize(email);
    }
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
        b.Property(u => u.TwoFactorSecret).HasMaxLength(User.ProtectedSecretMaxLength);
        b.Property(u => u.PendingTwoFactorSecret).HasMaxLength(User.ProtectedSecretMaxLength);
        b.PrimitiveCollection(u => u.RecoveryCodeHashes);
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
