using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Rapport.Kernel.Mail;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Kernel;

/// <summary>Mail out through MailKit to the real SMTP sink scripts/test.sh starts on loopback.</summary>
public sealed class MailTests(Hosts hosts)
{
    [Fact]
    public async Task Mail_sent_through_the_kernel_arrives_at_the_smtp_server_in_unicode()
    {
        TestMail.RequireAvailable();
        var sender = hosts.For(TestDatabases.Sqlite).Services.GetRequiredService<IMailSender>();
        Assert.True(sender.IsConfigured);
        var to = $"{Guid.NewGuid():N}@example.com";

        await sender.SendAsync(new OutgoingMail("test", to, "你好 Rapport", "第一行\nSecond line"), TestContext.Current.CancellationToken);

        var message = await TestMail.WaitForAsync(to);
        Assert.Equal("你好 Rapport", message.Subject);
        Assert.Contains("第一行", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("no-reply@rapport.test", message.From.Mailboxes.Single().Address);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Queued_mail_is_saved_with_the_change_and_sent_from_the_outbox(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var sender = factory.Services.GetRequiredService<IMailSender>();
        var to = $"{Guid.NewGuid():N}@example.com";
        var ct = TestContext.Current.CancellationToken;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Data.RapportDbContext>();
            sender.Enqueue(db, new OutgoingMail("test", to, "Queued", "Sent later."));
            await db.SaveChangesAsync(ct);
        }

        Assert.Equal("Queued", (await TestMail.WaitForAsync(to)).Subject);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Rapport.Kernel.Data.RapportDbContext>();
            for (var i = 0; i < 50 && !await db.Set<MailOutboxItem>().AnyAsync(m => m.To == to && m.SentAt != null, ct); i++)
            {
                await Task.Delay(100, ct);
            }

            var item = await db.Set<MailOutboxItem>().SingleAsync(m => m.To == to, ct);
            Assert.NotNull(item.SentAt);
            Assert.Equal(1, item.Attempts);
        }
    }

    [Fact]
    public async Task Without_a_host_mail_is_not_configured_and_sending_refuses()
    {
        var sender = new SmtpMailSender(new SmtpSettings { Host = " " }, NullLogger<SmtpMailSender>.Instance);
        Assert.False(sender.IsConfigured);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            sender.SendAsync(new OutgoingMail("test", "a@example.com", "x", "y"), TestContext.Current.CancellationToken));
    }
}
