using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using OtpNet;
using QRCoder;
using Rapport.Modules.Identity.Tokens;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.TwoFactor;

/// <summary>
/// TOTP (RFC 6238: SHA-1, 6 digits, 30 s) with one step of clock drift either way, and recovery
/// codes. Secrets are stored protected with Data Protection; recovery codes only as SHA-256 hashes.
/// A TOTP code works once: its time step must be newer than the last one used.
/// </summary>
public sealed class TwoFactorCodes(IDataProtectionProvider dataProtection, TimeProvider clock)
{
    public const string Issuer = "Rapport";
    public const int RecoveryCodeCount = 10;
    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Rapport.Identity.TwoFactor.v1");

    /// <summary>A new random secret (160 bits, base32) and its protected form to store.</summary>
    public (string Secret, string Protected) NewSecret()
    {
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20)).TrimEnd('=');
        return (secret, _protector.Protect(secret));
    }

    public static string OtpAuthUri(string email, string secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={secret}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period=30";

    /// <summary>The otpauth URI as a QR code, a PNG data URI for an &lt;img&gt;.</summary>
    public static string QrCodeDataUri(string otpAuthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpAuthUri, QRCodeGenerator.ECCLevel.Q);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    /// <summary>The time step a TOTP code matches for <paramref name="protectedSecret"/>, or null.</summary>
    public long? MatchTotp(string protectedSecret, string code)
    {
        var digits = Normalize(code);
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(_protector.Unprotect(protectedSecret)));
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, digits, out var step, Drift) ? step : null;
    }

    /// <summary>
    /// Checks a second factor of a user with two-factor on and uses it up: a current TOTP code not
    /// used before, or one of the recovery codes. False for anything else.
    /// </summary>
    public bool TryUse(User user, string? code)
    {
        if (!user.HasTwoFactor || string.IsNullOrWhiteSpace(code))
        {
            return false;
        }

        return MatchTotp(user.TwoFactorSecret!, code) is { } step
            ? user.UseTwoFactorStep(step)
            : user.UseRecoveryCode(HashRecoveryCode(code));
    }

    /// <summary>Ten new recovery codes (<c>xxxxx-xxxxx</c>, 50 random bits each) and their hashes.</summary>
    public static (IReadOnlyList<string> Codes, IReadOnlyList<string> Hashes) NewRecoveryCodes()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l
        var codes = Enumerable.Range(0, RecoveryCodeCount)
            .Select(_ => new string(RandomNumberGenerator.GetItems<char>(alphabet, 10)).Insert(5, "-"))
            .ToList();
        return (codes, [.. codes.Select(HashRecoveryCode)]);
    }

    public static string HashRecoveryCode(string code) => AccessToken.Hash(Normalize(code).ToLowerInvariant());

    private static string Normalize(string code) => new([.. code.Where(c => !char.IsWhiteSpace(c) && c != '-')]);
}
