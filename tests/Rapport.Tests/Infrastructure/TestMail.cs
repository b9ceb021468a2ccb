using System.Globalization;
using MimeKit;

namespace Rapport.Tests.Infrastructure;

/// <summary>
/// The SMTP sink scripts/test.sh starts (<c>RAPPORT_TEST_SMTP=host:port</c>), which writes each message
/// it receives as a .eml file into <c>RAPPORT_TEST_MAILDIR</c>. Without it mail tests are skipped,
/// except under <c>CI=true</c> where they fail.
/// </summary>
public static class TestMail
{
    public static string? Server => Environment.GetEnvironmentVariable("RAPPORT_TEST_SMTP") is { Length: > 0 } s ? s : null;

    public static string? Directory => Environment.GetEnvironmentVariable("RAPPORT_TEST_MAILDIR") is { Length: > 0 } d ? d : null;

    /// <summary>The factory settings pointing the host at the sink, when there is one.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> HostSettings()
    {
        if (Server is not { } server)
        {
            yield break;
        }

        var colon = server.LastIndexOf(':');
        yield return new("Mail:Smtp:Host", colon > 0 ? server[..colon] : server);
        yield return new("Mail:Smtp:Port", colon > 0 ? server[(colon + 1)..] : "25");
        yield return new("Mail:Smtp:From", "Rapport Tests <no-reply@rapport.test>");
    }

    public static void RequireAvailable()
    {
        if (Server is not null && Directory is not null)
        {
            return;
        }

        if (TestDatabases.IsCi)
        {
            Assert.Fail("RAPPORT_TEST_SMTP / RAPPORT_TEST_MAILDIR are not set: under CI=true the mail tests must run (scripts/test.sh starts an SMTP sink).");
        }

        Assert.Skip("No SMTP sink configured (set RAPPORT_TEST_SMTP and RAPPORT_TEST_MAILDIR or run scripts/test.sh).");
    }

    /// <summary>Waits up to <paramref name="timeout"/> (default 10 s) for a message to <paramref name="to"/> and returns it.</summary>
    public static async Task<MimeMessage> WaitForAsync(string to, TimeSpan? timeout = null)
    {
        RequireAvailable();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Find(to) is [var message, ..])
            {
                return message;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"No mail to {to} arrived in {Directory} within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s."));
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Every message received so far whose To names <paramref name="to"/>, oldest first.</summary>
    public static IReadOnlyList<MimeMessage> Find(string to)
    {
        RequireAvailable();
        var found = new List<MimeMessage>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory!, "*.eml").Order(StringComparer.Ordinal))
        {
            // The sink renames a finished file into place, so a listed file is complete.
            var message = MimeMessage.Load(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(message);
            }
        }

        return found;
    }
}
