using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Sales.Pipelines;

/// <summary>
/// Once at start: workspaces made before the sales module existed get the <see cref="DefaultPipeline"/>. New workspaces
/// get it when they are made, and the last pipeline of a workspace cannot be deleted, so a workspace without a pipeline
/// is always an older one. Each workspace is checked again under its lock, so several nodes starting together add one.
/// </summary>
public sealed class DefaultPipelineBackfill(IServiceScopeFactory scopes, ILogger<DefaultPipelineBackfill> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await RunOnceAsync(stoppingToken) is > 0 and var count)
            {
                log.LogInformation("Gave {Count} older workspaces the default pipeline", count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Default pipeline backfill failed; it runs again at the next start");
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<Guid> workspaces;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            var pipelines = db.Set<Pipeline>().IgnoreQueryFilters();
            workspaces = await db.Workspaces.Where(w => !pipelines.Any(p => p.WorkspaceId == w.Id)).Select(w => w.Id).ToListAsync(ct);
        }

        var added = 0;
        foreach (var workspaceId in workspaces)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.LockWorkspaceAsync(workspaceId, ct);
            if (await db.Set<Pipeline>().AnyAsync(ct))
            {
                continue;
            }

            db.Add(DefaultPipeline.Create(workspaceId));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            added++;
        }

        return added;
    }
}
