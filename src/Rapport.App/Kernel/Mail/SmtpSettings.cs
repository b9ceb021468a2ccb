namespace Rapport.Kernel.Mail;

/// <summary>
/// <c>Mail:Smtp:*</c>. Without <see cref="Host"/> no mail is sent. <see cref="UseSsl"/> connects with
/// TLS from the start (usually port 465); otherwise STARTTLS is used when the server offers it.
/// </summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public bool UseSsl { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>Sender, e.g. <c>Rapport &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "Rapport <no-reply@localhost>";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
