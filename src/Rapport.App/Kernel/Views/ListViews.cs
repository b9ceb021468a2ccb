using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Views;

/// <summary>The saved views of one entity type the caller may see: their own, and the shared ones. Never another member's private view.</summary>
public static class ListViews
{
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser currentUser, IEnumerable<IViewSchemaSource> schemas)
    {
        public async Task<Outcome<IReadOnlyList<SavedViewDto>>> HandleAsync(string? entity, CancellationToken ct)
        {
            if (entity is null || schemas.All(s => s.Entity != entity))
            {
                return Outcome<IReadOnlyList<SavedViewDto>>.Invalid("entity", $"entity must be one of: {string.Join(", ", schemas.Select(s => s.Entity))}.");
            }

            if (await access.LevelAsync(entity, AccessAction.Read, ct) == AccessLevel.None)
            {
                return Outcome<IReadOnlyList<SavedViewDto>>.Forbidden($"Your roles do not allow you to read {entity} records.");
            }

            var me = currentUser.UserId;
            var views = await db.Set<SavedView>().AsNoTracking()
                .Where(v => v.EntityType == entity && (v.Shared || v.OwnerId == me))
                .OrderBy(v => v.Name).ThenBy(v => v.Id).ToListAsync(ct);
            var mayShare = await access.HasCapabilityAsync(SavedViewRights.Share, ct);
            return Outcome<IReadOnlyList<SavedViewDto>>.Ok([.. views.Select(v => SavedViewDto.From(v, v.Shared ? mayShare : v.OwnerId == me))]);
        }

        /// <summary>The columns, kanban fields and checks of an entity's views, as the caller sees them (for list pages).</summary>
        public Task<ViewSchema?> SchemaAsync(string entity, CancellationToken ct) => schemas.FindAsync(access, entity, ct);

        public Task<bool> MayShareAsync(CancellationToken ct) => access.HasCapabilityAsync(SavedViewRights.Share, ct);
    }

    public static void Map(RouteGroupBuilder views) =>
        views.MapGet("/", async (string? entity, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(entity, ct)).ToHttp("view", v => TypedResults.Ok(v)))
            .WithName("ListViews")
            .WithSummary("List saved views of an entity type")
            .WithDescription("entity: company or contact. Answers the caller's private views and the workspace's shared views, by name; " +
                             "canEdit says whether the caller may change each one.")
            .Produces<IReadOnlyList<SavedViewDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
