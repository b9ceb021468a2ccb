using Microsoft.AspNetCore.Identity;

namespace Rapport.Modules.Identity.Users;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher; unknown emails still cost one verification so timing tells nothing.</summary>
public sealed class Passwords
{
    private readonly PasswordHasher<User> _hasher = new();
    private readonly string _decoy;

    public Passwords() => _decoy = _hasher.HashPassword(null!, "decoy-password-for-timing");

    public string Hash(User user, string password) => _hasher.HashPassword(user, password);

    /// <summary>True when <paramref name="password"/> is the user's; rehashes in place when the stored hash is outdated.</summary>
    public bool Verify(User? user, string password)
    {
        if (user is null)
        {
            _hasher.VerifyHashedPassword(null!, _decoy, password);
            return false;
        }

        var result = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.SetPasswordHash(_hasher.HashPassword(user, password));
        }

        return result != PasswordVerificationResult.Failed;
    }
}
