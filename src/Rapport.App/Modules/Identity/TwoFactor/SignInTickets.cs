using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.TwoFactor;

/// <summary>
/// Carries a browser sign-in from the password step to the code step without carrying the password:
/// a data-protected ticket naming the user and their security stamp, valid for <see cref="Lifetime"/>.
/// A reset password (new stamp) voids it; the code itself is still checked and used up as usual.
/// </summary>
public sealed class SignInTickets(IDataProtectionProvider dataProtection)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("Rapport.Identity.SignInTicket.v1").ToTimeLimitedDataProtector();

    public string Issue(User user) =>
        _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{user.Id:N}|{user.SecurityStamp}"), Lifetime);

    public bool TryRead(string? ticket, out Guid userId, out string securityStamp)
    {
        userId = Guid.Empty;
        securityStamp = "";
        if (string.IsNullOrEmpty(ticket))
        {
            return false;
        }

        try
        {
            var parts = _protector.Unprotect(ticket).Split('|', 2);
            if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out userId))
            {
                return false;
            }

            securityStamp = parts[1];
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false; // tampered, expired or from another server's keys
        }
    }
}
