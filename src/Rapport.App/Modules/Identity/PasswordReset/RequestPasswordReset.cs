using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Mail;
using Rapport.Modules.Identity.Users;

namespace Rapport.Modules.Identity.PasswordReset;

/// <summary>
/// Asks for a password reset link by email. The answer is the same whether or not the email has an
/// account (no account enumeration), and the mail is sent in the background so timing tells nothing
/// either. The link is built on <c>Rapport:PublicBaseUrl</c>, never on the request's Host header.
/// </summary>
public static class RequestPasswordReset
{
    public sealed record Request(string Email);

    public sealed record Response(string Detail);

    public static readonly Response Accepted = new(
        "If an account uses this email, a link to choose a new password is on its way. It works once, for one hour.");

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Email).NotEmpty().EmailAddress().MaximumLength(User.EmailMaxLength);
    }

    public sealed class Handler(RapportDbContext db, IMailSender mail, IConfiguration configuration, TimeProvider clock, ILogger<Handler> logger)
    {
        public async Task<Outcome<Response>> HandleAsync(Request request, CancellationToken ct)
        {
            if (new Validator().Validate(request) is { IsValid: false } invalid)
            {
                return Outcome<Response>.Invalid(invalid);
            }

            var normalized = User.Normalize(request.Email);
            var user = await db.Set<User>().AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
            if (user is null)
            {
                return Outcome<Response>.Ok(Accepted);
            }

            if (!mail.IsConfigured)
            {
                logger.LogWarning("A password reset was asked for user {UserId}, but no mail server is configured (Mail:Smtp:Host)", user.Id);
                return Outcome<Response>.Ok(Accepted);
            }

            var (reset, token) = PasswordResetToken.Issue(user.Id, clock.GetUtcNow());
            db.Add(reset);
            mail.Enqueue(db, Compose(user.Language, user.Email, user.DisplayName, LinkFor(configuration, token), reset.ExpiresAt));
            await db.SaveChangesAsync(ct);
            return Outcome<Response>.Ok(Accepted);
        }
    }

    public static string LinkFor(IConfiguration configuration, string token) =>
        PublicLinks.To(configuration, $"/account/reset?token={token}");

    public static OutgoingMail Compose(string language, string to, string displayName, string link, DateTimeOffset expiresAt)
    {
        var name = string.Join(' ', displayName.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        var expires = expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return language == "zh-Hans"
            ? new OutgoingMail("password-reset", to, "重置您的 Rapport 密码",
                $"""
                 {name}，您好！

                 有人（希望是您本人）申请重置您的 Rapport 账户密码。

                 设置新密码：
                 {link}

                 此链接只能使用一次，一小时后（{expires} UTC）失效。如果不是您本人申请，请忽略本邮件，您的密码不会改变。
                 """)
            : new OutgoingMail("password-reset", to, "Reset your Rapport password",
                $"""
                 Hello {name},

                 Someone, hopefully you, asked to reset the password of your Rapport account.

                 Choose a new password:
                 {link}

                 The link works once and expires in one hour, at {expires} UTC. If you did not ask for this, ignore this message: your password stays as it is.
                 """);
    }

    public static void Map(IEndpointRouteBuilder auth) =>
        auth.MapPost("/auth/password-reset", async (Request request, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(request, ct)).ToHttp("user", r => TypedResults.Accepted((string?)null, r)))
            .AllowAnonymous()
            .WithName("RequestPasswordReset")
            .WithSummary("Email a link to choose a new password")
            .WithDescription("Always 202 with the same body, whether or not the email has an account. When it has one and a mail server is configured, " +
                             "a single-use link valid one hour is emailed: {Rapport:PublicBaseUrl}/account/reset?token=….")
            .Produces<Response>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();
}
