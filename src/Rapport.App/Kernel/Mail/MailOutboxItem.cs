using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rapport.Kernel.Entities;

namespace Rapport.Kernel.Mail;

/// <summary>
/// A mail waiting to be sent. It is written in the same transaction as the change that causes it,
/// so an acknowledged invitation or reset is never lost to a crash; the outbox worker sends it,
/// retrying with backoff.
/// </summary>
public sealed class MailOutboxItem
{
    public const int MaxAttempts = 8;

    private MailOutboxItem() { }

    public Guid Id { get; private init; } = Ids.NewV7();
    public string Kind { get; private init; } = "";
    public string To { get; private init; } = "";
    public string Subject { get; private init; } = "";
    public string TextBody { get; private init; } = "";
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    /// <summary>Concurrency token: the node that raises it owns the attempt.</summary>
    public int Attempts { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    /// <summary>The error type and SMTP code of the last failure — never the server's text, which may quote the address.</summary>
    public string? LastError { get; private set; }

    public static MailOutboxItem For(OutgoingMail mail, DateTimeOffset now) => new()
    {
        Kind = mail.Kind, To = mail.To, Subject = mail.Subject, TextBody = mail.TextBody, CreatedAt = now, NextAttemptAt = now,
    };

    public OutgoingMail Mail => new(Kind, To, Subject, TextBody);

    /// <summary>Takes the next attempt; while it runs no other node picks the item up.</summary>
    public void StartAttempt(DateTimeOffset now)
    {
        Attempts++;
        NextAttemptAt = now.AddMinutes(5);
    }

    public void Sent(DateTimeOffset now) => SentAt = now;

    /// <summary>Backs off 30 s, 1 min, 2 min… until <see cref="MaxAttempts"/>, then stops trying.</summary>
    public void Failed(DateTimeOffset now, string error)
    {
        LastError = error.Length > 200 ? error[..200] : error;
        NextAttemptAt = Attempts >= MaxAttempts ? DateTimeOffset.MaxValue : now.AddSeconds(30 * Math.Pow(2, Attempts - 1));
    }
}

internal sealed class MailOutboxItemConfiguration : IEntityTypeConfiguration<MailOutboxItem>
{
    public void Configure(EntityTypeBuilder<MailOutboxItem> b)
    {
        b.ToTable("kernel_mail_outbox");
        b.HasKey(m => m.Id);
        b.Property(m => m.Kind).HasMaxLength(40);
        b.Property(m => m.To).HasMaxLength(320);
        b.Property(m => m.Subject).HasMaxLength(500);
        b.Property(m => m.LastError).HasMaxLength(200);
        b.Property(m => m.Attempts).IsConcurrencyToken();
        b.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
    }
}
