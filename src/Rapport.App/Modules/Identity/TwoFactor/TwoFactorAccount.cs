using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.TwoFactor;

/// <summary>Problem types of two-factor sign-in.</summary>
public static class TwoFactorProblems
{
    public const string OtpRequired = "https://rapport.dev/problems/otp-required";
    public const string SetupRequired = "https://rapport.dev/problems/two-factor-setup-required";
}

/// <summary>
/// What every change to two-factor settings shares: it is the signed-in person's own account,
/// done with a session (never an API key), and the password is checked; wrong passwords count
/// toward the sign-in lockout like any other.
/// </summary>
internal static class TwoFactorAccount
{
    public const string WrongPassword = "The password is wrong.";

    public static async Task<(User? User, Outcome<T>? Refused)> LoadAsync<T>(RapportDbContext db, ICurrentUser currentUser, CancellationToken ct)
    {
        if (currentUser.ApiKeyScope is not null)
        {
            return (null, Outcome<T>.Forbidden("Two-factor sign-in is changed with a signed-in session, not with an API key."));
        }

        var user = await db.Set<User>().SingleOrDefaultAsync(u => u.Id == currentUser.UserId, ct);
        return user is null ? (null, Outcome<T>.NotFound()) : (user, null);
    }

    /// <summary>Null when the password is the user's; otherwise the failure is counted and saved, and the answer names the field.</summary>
    public static async Task<Outcome<T>?> CheckPasswordAsync<T>(RapportDbContext db, Passwords passwords, User user, string? password, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Outcome<T>.Invalid("password", "Enter your password.");
        }

        if (user.IsLockedAt(now))
        {
            return Outcome<T>.Invalid("password", "Too many wrong attempts: wait 15 minutes, then try again.");
        }

        if (passwords.Verify(user, password))
        {
            return null;
        }

        user.SignInFailed(now);
        return await TrySaveAsync<T>(db, ct) ?? Outcome<T>.Invalid("password", WrongPassword);
    }

    /// <summary>Saves; a concurrent change to the same account is a 409 to retry.</summary>
    public static async Task<Outcome<T>?> TrySaveAsync<T>(RapportDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome<T>.Conflict("Your account changed at the same moment. Try again.");
        }
    }
}
