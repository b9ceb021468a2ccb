using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;
using Rapport.Kernel.Mail;
using Rapport.Kernel.Security;
using Rapport.Modules.Identity.Contracts;
using Rapport.Modules.Sales.Quotes;

namespace Rapport.Modules.Sales.SalesContracts;

/// <summary>
/// The sales documents' calendar, by each workspace's date in its time zone (run at start and every hour, so a day is never missed;
/// everything it does is done once): a contract's renewal reminder falls due (marked <c>remindedAt</c>, audited as a system change,
/// and its owner mailed through the outbox in the same transaction: <see cref="RenewalReminderMail"/>);
/// a contract past its end date renews for another term when it auto-renews, else ends; a sent quote past its validUntil expires.
/// Safe on several nodes: a row changed meanwhile by another is skipped by its version.
/// </summary>
public sealed class SalesDocumentsDaily(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<SalesDocumentsDaily> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The sales documents' daily run failed; it runs again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over every workspace; answers how many contracts and quotes it changed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // A day ahead of UTC covers every time zone; each workspace is then read at its own date.
        var horizon = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        List<Guid> workspaces;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            workspaces = await db.Set<Contract>().IgnoreQueryFilters()
                .Where(c => c.DeletedAt == null && c.Status == ContractStatuses.Active
                            && (c.EndDate < horizon || c.ReminderDueOn <= horizon && c.RemindedAt == null))
                .Select(c => c.WorkspaceId)
                .Union(db.Set<Quote>().IgnoreQueryFilters()
                    .Where(q => q.DeletedAt == null && q.Status == QuoteStatuses.Sent && q.ValidUntil < horizon).Select(q => q.WorkspaceId))
                .Distinct().ToListAsync(ct);
        }

        var changed = 0;
        foreach (var workspaceId in workspaces)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            var zone = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.TimeZone).SingleAsync(ct);
            var timeZone = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found : TimeZoneInfo.Utc;
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, timeZone).DateTime);

            // Contracts follow their deal: while it is in the trash they neither renew, end nor remind; the first run after a restore catches up.
            var contracts = await db.Set<Contract>().OfLiveDeals(db)
                .Where(c => c.Status == ContractStatuses.Active && (c.EndDate < today || c.ReminderDueOn <= today && c.RemindedAt == null)).ToListAsync(ct);
            var reminded = new List<Contract>();
            foreach (var contract in contracts)
            {
                if (contract.EndDate < today)
                {
                    contract.EndTerm(today);
                }

                if (contract.Status == ContractStatuses.Active && contract.ReminderDueOn <= today && contract.RemindedAt is null)
                {
                    contract.Remind(now);
                    reminded.Add(contract);
                }
            }

            await RenewalReminderMail.QueueAsync(db, scope.ServiceProvider.GetRequiredService<IMailSender>(),
                scope.ServiceProvider.GetRequiredService<IMemberDirectory>(), configuration, reminded, ct);

            var quotes = await db.Set<Quote>().Where(q => q.Status == QuoteStatuses.Sent && q.ValidUntil < today).ToListAsync(ct);
            foreach (var quote in quotes)
            {
                quote.Expire();
            }

            try
            {
                changed += await db.SaveChangesAsync(ct) > 0 ? contracts.Count + quotes.Count : 0;
            }
            catch (DbUpdateConcurrencyException)
            {
                log.LogInformation("Sales documents of workspace {WorkspaceId} changed meanwhile; the next run picks them up", workspaceId);
            }
        }

        return changed;
    }
}
