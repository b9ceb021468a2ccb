using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Jobs;

/// <summary>
/// Hourly: deletes for good what has been in the trash longer than <see cref="BusinessRecord.TrashRetention"/>
/// (each deletion audited as "purge"), and idempotency records older than their 24 hours.
/// Safe to run on several nodes at once: a purge of an already purged row deletes nothing.
/// </summary>
public sealed class TrashPurge(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TrashPurge> log) : BackgroundService
{
    private const int Batch = 500;

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
                log.LogError(e, "Trash purge failed; it runs again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var purged = 0;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            var cutoff = now - Entities.BusinessRecord.TrashRetention;
            var method = typeof(TrashPurge).GetMethod(nameof(PurgeTypeAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;
            foreach (var type in db.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => typeof(BusinessRecord).IsAssignableFrom(t)))
            {
                purged += await (Task<int>)method.MakeGenericMethod(type).Invoke(this, [cutoff, ct])!;
            }

            var keysBefore = now - Idempotency.IdempotencyRecord.Retention;
            await db.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.CreatedAt < keysBefore).ExecuteDeleteAsync(ct);
        }

        if (purged > 0)
        {
            log.LogInformation("Purged {Count} records from the trash", purged);
        }

        return purged;
    }

    private async Task<int> PurgeTypeAsync<T>(DateTimeOffset cutoff, CancellationToken ct) where T : BusinessRecord
    {
        var count = 0;
        while (true)
        {
            List<(Guid WorkspaceId, Guid Id)> expired;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
                expired = (await db.Set<T>().IgnoreQueryFilters().Where(r => r.DeletedAt != null && r.DeletedAt < cutoff)
                    .OrderBy(r => r.DeletedAt).Select(r => new { r.WorkspaceId, r.Id }).Take(Batch).ToListAsync(ct))
                    .Select(r => (r.WorkspaceId, r.Id)).ToList();
            }

            foreach (var workspace in expired.GroupBy(r => r.WorkspaceId))
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem(workspace.Key);
                var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
                var ids = workspace.Select(r => r.Id).ToList();
                var rows = await db.Set<T>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).Where(r => ids.Contains(r.Id)).ToListAsync(ct);
                var participants = scope.ServiceProvider.GetServices<IPurgeParticipant>().ToList();
                foreach (var participant in participants)
                {
                    await participant.PurgingAsync(db, rows, ct);
                }

                db.RemoveRange(rows);
                var removed = await db.SaveChangesAsync(ct) > 0;
                count += removed ? rows.Count : 0;
                foreach (var participant in participants.Where(_ => removed))
                {
                    await participant.PurgedAsync(rows, ct);
                }
            }

            if (expired.Count < Batch)
            {
                return count;
            }
        }
    }
}

/// <summary>
/// A module's part in purging records for good: rows that point at them go in the same transaction
/// (<see cref="PurgingAsync"/>, through the change tracker), what lives outside the database (file bytes)
/// after it committed (<see cref="PurgedAsync"/>). Register with <c>services.AddScoped&lt;IPurgeParticipant, …&gt;()</c>.
/// </summary>
public interface IPurgeParticipant
{
    Task PurgingAsync(RapportDbContext db, IReadOnlyList<BusinessRecord> records, CancellationToken ct);

    Task PurgedAsync(IReadOnlyList<BusinessRecord> records, CancellationToken ct);
}
