using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Rapport.Kernel.Mail;

/// <summary>
/// Sends mail with MailKit over SMTP. Logs name the message's kind only: never an address, a
/// subject or a body (they carry personal data and secrets such as reset links).
/// </summary>
public sealed class SmtpMailSender(SmtpSettings settings, ILogger<SmtpMailSender> logger) : IMailSender
{
    public bool IsConfigured => settings.IsConfigured;

    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        if (!IsConfigured)
        {
            throw new InvalidOperationException("No SMTP host is configured (Mail:Smtp:Host).");
        }

        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart("plain") { Text = mail.TextBody };

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Host!.Trim(), settings.Port, settings.UseSsl ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, ct);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? "", ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
        logger.LogInformation("Mail of kind {MailKind} sent", mail.Kind);
    }

    public void Enqueue(Data.RapportDbContext db, OutgoingMail mail) => db.Add(MailOutboxItem.For(mail, DateTimeOffset.UtcNow));
}

public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("Mail:Smtp").Get<SmtpSettings>() ?? new SmtpSettings();
        services.AddSingleton(settings);
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<SmtpMailSender>());
        services.AddHostedService<MailOutboxWorker>();
        return services;
    }
}
