namespace Rapport.Modules.Identity.Users;

/// <summary>
/// What a new password must be: 10 to 128 characters, not one of the passwords every attacker
/// tries first, and not the account's own email or its name part.
/// </summary>
public static class PasswordPolicy
{
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "1234567890", "12345678910", "0123456789", "1111111111", "0000000000", "qwertyuiop", "1q2w3e4r5t", "qwerty1234",
        "password12", "password123", "password1234", "passw0rd123", "iloveyou123", "abc1234567", "abcdefghij", "letmein123",
        "welcome123", "admin12345", "administrator", "qwertyuiop123", "1qaz2wsx3edc", "zaq12wsxcde3", "woaini1314", "a123456789",
        "aa12345678", "asdfghjkl1", "1234qwer!@", "changeme123",
    };

    /// <summary>The reason the password is refused, or null when it is acceptable.</summary>
    public static string? Problem(string? password, string? email)
    {
        if (password is not { Length: >= User.PasswordMinLength and <= User.PasswordMaxLength })
        {
            return $"Choose a password of {User.PasswordMinLength} to {User.PasswordMaxLength} characters.";
        }

        if (Common.Contains(password) || password.Distinct().Count() <= 2)
        {
            return "This password is among the first ones attackers try. Choose another.";
        }

        var name = email?.Split('@')[0] ?? "";
        return email is { Length: > 0 } && (password.Contains(email, StringComparison.OrdinalIgnoreCase)
                                            || name.Length >= 4 && password.Contains(name, StringComparison.OrdinalIgnoreCase))
            ? "The password must not contain your email address."
            : null;
    }
}
