using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;

namespace Rapport.Kernel.Imports;

/// <summary>
/// Hourly: once an import can no longer be undone, its file, error rows and undo ledger are deleted (they hold personal
/// data); uploads that never became an import are deleted after a day. The import itself and its audit entry stay.
/// </summary>
public sealed class ImportRetention(IServiceScopeFactory scopes, ImportFiles files, TimeProvider clock, ILogger<ImportRetention> log) : BackgroundService
{
    public static readonly TimeSpan UnusedUploadRetention = TimeSpan.FromDays(1);

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
                log.LogError(e, "Import retention failed; it runs again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
        var now = clock.GetUtcNow();
        var cutoff = now - Import.UndoRetention;
        var expired = await db.Set<Import>().IgnoreQueryFilters().Where(i => i.CreatedAt < cutoff && i.StoredName != "")
            .Select(i => new { i.WorkspaceId, i.Id, i.StoredName }).ToListAsync(ct);
        foreach (var import in expired)
        {
            await db.Set<ImportError>().IgnoreQueryFilters().Where(e => e.WorkspaceId == import.WorkspaceId && e.ImportId == import.Id).ExecuteDeleteAsync(ct);
            await db.Set<ImportRecord>().IgnoreQueryFilters().Where(r => r.WorkspaceId == import.WorkspaceId && r.ImportId == import.Id).ExecuteDeleteAsync(ct);
            await db.Set<Import>().IgnoreQueryFilters().Where(i => i.WorkspaceId == import.WorkspaceId && i.Id == import.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.StoredName, "").SetProperty(i => i.Sample, (string?)null), ct);
            files.Delete(import.WorkspaceId, import.StoredName);
        }

        // Uploads kept for a preview that was never imported.
        if (!Directory.Exists(files.Root))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(files.Root))
        {
            if (!Guid.TryParseExact(Path.GetFileName(folder), "N", out var workspaceId))
            {
                continue;
            }

            var stale = Directory.EnumerateFiles(folder).Where(f => File.GetLastWriteTimeUtc(f) < (now - UnusedUploadRetention).UtcDateTime)
                .Select(Path.GetFileName).OfType<string>().ToList();
            if (stale.Count == 0)
            {
                continue;
            }

            var used = await db.Set<Import>().IgnoreQueryFilters().Where(i => i.WorkspaceId == workspaceId && stale.Contains(i.StoredName))
                .Select(i => i.StoredName).ToListAsync(ct);
            foreach (var name in stale.Except(used))
            {
                files.Delete(workspaceId, name);
            }
        }
    }
}
