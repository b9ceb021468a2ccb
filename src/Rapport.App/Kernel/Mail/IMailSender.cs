namespace Rapport.Kernel.Mail;

/// <summary>
/// One message to one recipient. <see cref="Kind"/> names the message in logs (<c>invitation</c>,
/// <c>password-reset</c>), so logs never need the address, subject or body.
/// </summary>
public sealed record OutgoingMail(string Kind, string To, string Subject, string TextBody);

/// <summary>Sends mail out (SMTP, set by <c>Mail:Smtp:*</c>). Modules check <see cref="IsConfigured"/> before offering mail.</summary>
public interface IMailSender
{
    /// <summary>False when no SMTP host is configured: nothing can be sent.</summary>
    bool IsConfigured { get; }

    /// <summary>Sends now; throws when the server refuses or cannot be reached.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken ct);

    /// <summary>
    /// Puts the message in the outbox of <paramref name="db"/>: it is saved with the caller's next
    /// SaveChanges, in the same transaction as the change it belongs to, and sent by the outbox
    /// worker afterwards — so a request neither waits for the mail server nor reveals by its timing
    /// whether a message was sent, and a crash loses nothing that was acknowledged.
    /// </summary>
    void Enqueue(Data.RapportDbContext db, OutgoingMail mail);
}
