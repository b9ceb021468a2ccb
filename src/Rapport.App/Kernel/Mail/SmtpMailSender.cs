using System.Threading.Channels;
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
    private readonly Channel<OutgoingMail> _queue = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public bool IsConfigured => settings.IsConfigured;

    internal ChannelReader<OutgoingMail> Queue => _queue.Reader;

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

    public void Enqueue(OutgoingMail mail)
    {
        if (!_queue.Writer.TryWrite(mail))
        {
            logger.LogWarning("Mail of kind {MailKind} dropped: the send queue is full", mail.Kind);
        }
    }

    /// <summary>Drains the queue one message at a time; a failure is logged and the next message goes on.</summary>
    internal sealed class BackgroundSender(SmtpMailSender sender, ILogger<BackgroundSender> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await foreach (var mail in sender.Queue.ReadAllAsync(stoppingToken))
                {
                    try
                    {
                        await sender.SendAsync(mail, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // Never the exception's message: a server's refusal may quote the recipient's address.
                        logger.LogError("Mail of kind {MailKind} could not be sent: {Error} {SmtpStatus}", mail.Kind, e.GetType().Name,
                            e is SmtpCommandException c ? $"{c.ErrorCode} {(int)c.StatusCode}" : null);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down.
            }
        }
    }
}

public static class MailSetup
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("Mail:Smtp").Get<SmtpSettings>() ?? new SmtpSettings();
        services.AddSingleton(settings);
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<SmtpMailSender>());
        services.AddHostedService<SmtpMailSender.BackgroundSender>();
        return services;
    }
}
