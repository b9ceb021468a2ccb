using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;

namespace Rapport.Kernel.Mail;

/// <summary>
/// Sends what waits in the mail outbox, oldest first, every second. Safe on several nodes: an item
/// is taken by raising its attempt counter (a concurrency token), so only one node sends it.
/// </summary>
internal sealed class MailOutboxWorker(IServiceScopeFactory scopes, IMailSender sender, TimeProvider clock, ILogger<MailOutboxWorker> logger) : BackgroundService
{
    private const int Batch = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!sender.IsConfigured)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        do
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == Batch)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("The mail outbox could not be read: {Error}", e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task<int> SendDueAsync(CancellationToken ct)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            var now = clock.GetUtcNow();
            due = await db.Set<MailOutboxItem>().Where(m => m.SentAt == null && m.NextAttemptAt <= now)
                .OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(Batch).ToListAsync(ct);
        }

        foreach (var id in due)
        {
            await SendOneAsync(id, ct);
        }

        return due.Count;
    }

    private async Task SendOneAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        var item = await db.Set<MailOutboxItem>().SingleOrDefaultAsync(m => m.Id == id && m.SentAt == null, ct);
        if (item is null)
        {
            return;
        }

        item.StartAttempt(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return; // another node took it
        }

        try
        {
            await sender.SendAsync(item.Mail, ct);
            item.Sent(clock.GetUtcNow());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never the exception's message: a server's refusal may quote the recipient's address.
            var error = e is SmtpCommandException c ? $"{e.GetType().Name} {c.ErrorCode} {(int)c.StatusCode}" : e.GetType().Name;
            item.Failed(clock.GetUtcNow(), error);
            logger.LogWarning("Mail of kind {MailKind} not sent (attempt {Attempt}): {Error}", item.Kind, item.Attempts, error);
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }
}
