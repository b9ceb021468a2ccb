using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Modules.Identity.Me;

/// <summary>The workspaces the signed-in person belongs to (active memberships), to pick one after signing in or switch later.</summary>
public static class ListMyWorkspaces
{
    public sealed record WorkspaceChoice(Guid WorkspaceId, string Name, bool Current);

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser)
    {
        public async Task<IReadOnlyList<WorkspaceChoice>> HandleAsync(CancellationToken ct)
        {
            var current = currentUser.WorkspaceId;
            return await db.Memberships.IgnoreQueryFilters()
                .Where(m => m.UserId == currentUser.UserId && m.DeactivatedAt == null)
                .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (_, w) => w)
                .OrderBy(w => w.Name)
                .Select(w => new WorkspaceChoice(w.Id, w.Name, w.Id == current))
                .ToListAsync(ct);
        }
    }

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/me/workspaces", async (Handler handler, CancellationToken ct) => TypedResults.Ok(await handler.HandleAsync(ct)))
            .WithName("ListMyWorkspaces")
            .WithSummary("The workspaces you belong to; get a token for another with POST /auth/token and workspaceId")
            .Produces<IReadOnlyList<WorkspaceChoice>>();
}
