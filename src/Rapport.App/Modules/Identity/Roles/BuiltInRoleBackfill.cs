using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.Roles;

/// <summary>
/// Once at start: built-in roles get their template's levels (<see cref="BuiltInRoles.LevelsFor"/>) for entity types they
/// have no entry for — types a module added after the workspace was made, such as deals and pipelines. The roles page saves
/// an entry for every type, so a level an administrator chose (even none) is never touched. Audited as a system change;
/// safe on several nodes (a role changed meanwhile is skipped by its version).
/// </summary>
public sealed class BuiltInRoleBackfill(IServiceScopeFactory scopes, AccessCatalog catalog, ILogger<BuiltInRoleBackfill> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await RunOnceAsync(stoppingToken) is > 0 and var count)
            {
                log.LogInformation("Gave {Count} built-in roles their levels on newer entity types", count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Built-in role backfill failed; it runs again at the next start");
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<Guid> workspaces;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            workspaces = await db.Set<Role>().IgnoreQueryFilters().Where(r => r.BuiltIn != null && !r.IsAdministrator)
                .Select(r => r.WorkspaceId).Distinct().ToListAsync(ct);
        }

        var changed = 0;
        foreach (var workspaceId in workspaces)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<RapportDbContext>();
            var roles = await db.Set<Role>().Where(r => r.BuiltIn != null && !r.IsAdministrator).ToListAsync(ct);
            var missing = roles.SelectMany(r => catalog.Entities.Where(e => !r.Permissions.ContainsKey(e.Name)).Select(e => (Role: r, Entity: e))).ToList();
            foreach (var (role, entity) in missing)
            {
                if (BuiltInRoles.LevelsFor(role.BuiltIn!, entity) is { } levels)
                {
                    role.AddPermissions(entity.Name, levels);
                }
            }

            try
            {
                await db.SaveChangesAsync(ct);
                changed += missing.Select(m => m.Role).Distinct().Count();
            }
            catch (DbUpdateConcurrencyException)
            {
                log.LogInformation("Built-in roles of workspace {WorkspaceId} changed meanwhile; left as they are", workspaceId);
            }
        }

        return changed;
    }
}
