using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.SignIns;

public enum SignInResult { Succeeded, WrongPassword, UnknownEmail, LockedOut, Deactivated, NoWorkspace, OtpRequired, WrongOtp, NeedsTwoFactor }

/// <summary>
/// One sign-in attempt: when, who (as typed, and the user when known), from where, and how it ended.
/// Administrators see the attempts of their workspace's members.
/// </summary>
public sealed class SignInAttempt
{
    public const int UserAgentMaxLength = 300;

    private SignInAttempt() { }

    public Guid Id { get; private init; } = Ids.NewV7();
    public DateTimeOffset At { get; private init; }
    public string Email { get; private init; } = "";
    public Guid? UserId { get; private init; }
    public Guid? WorkspaceId { get; private init; }
    public string? Ip { get; private init; }
    public string? UserAgent { get; private init; }
    public SignInResult Result { get; private init; }
    /// <summary>form (browser) or api (token endpoint).</summary>
    public string Channel { get; private init; } = "";

    public static SignInAttempt Record(DateTimeOffset at, string email, Guid? userId, Guid? workspaceId, string? ip, string? userAgent, SignInResult result, string channel) => new()
    {
        At = at, Email = email.Trim()[..Math.Min(email.Trim().Length, User.EmailMaxLength)], UserId = userId, WorkspaceId = workspaceId, Ip = ip,
        UserAgent = userAgent is { Length: > UserAgentMaxLength } ? userAgent[..UserAgentMaxLength] : userAgent, Result = result, Channel = channel,
    };
}

internal sealed class SignInAttemptConfiguration : IEntityTypeConfiguration<SignInAttempt>
{
    public void Configure(EntityTypeBuilder<SignInAttempt> b)
    {
        b.ToTable("identity_sign_in_attempts");
        b.HasKey(a => a.Id);
        b.Property(a => a.Email).HasMaxLength(User.EmailMaxLength);
        b.Property(a => a.Ip).HasMaxLength(64);
        b.Property(a => a.UserAgent).HasMaxLength(SignInAttempt.UserAgentMaxLength);
        b.Property(a => a.Result).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.Channel).HasMaxLength(10);
        b.HasIndex(a => new { a.UserId, a.At });
        b.HasIndex(a => new { a.WorkspaceId, a.At });
    }
}
