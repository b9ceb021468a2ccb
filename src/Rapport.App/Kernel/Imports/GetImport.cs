using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Imports;

/// <summary>Imports of the workspace: one with its status, progress and counts, or the latest ones.</summary>
public static class GetImport
{
    public const int ListSize = 50;

    /// <summary>Members whose import right covers every record of the entity see every import of it; the others see their own.</summary>
    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser user, ImportTargets targets, TimeProvider clock)
    {
        public async Task<Outcome<ImportDto>> HandleAsync(Guid id, CancellationToken ct)
        {
            var import = await ImportDto.LoadAsync(db, id, clock, ct);
            return import is not null && (await LevelsAsync(ct)).GetValueOrDefault(import.Entity) is { } level && level != AccessLevel.None
                   && (level == AccessLevel.All || import.CreatedBy == user.UserId)
                ? Outcome<ImportDto>.Ok(import)
                : Outcome<ImportDto>.NotFound();
        }

        /// <summary>The latest imports first, of those the caller may see.</summary>
        public async Task<List<ImportDto>> ListAsync(CancellationToken ct)
        {
            var levels = await LevelsAsync(ct);
            var everyone = levels.Where(l => l.Value == AccessLevel.All).Select(l => l.Key).ToList();
            var own = levels.Where(l => l.Value is not (AccessLevel.All or AccessLevel.None)).Select(l => l.Key).ToList();
            var me = user.UserId;
            var visible = db.Set<Import>().Where(i => everyone.Contains(i.EntityType) || (own.Contains(i.EntityType) && i.CreatedBy == me));
            return [.. (await ImportDto.QueryAsync(db, visible.OrderByDescending(i => i.CreatedAt).Take(ListSize), clock, ct)).OrderByDescending(i => i.CreatedAt)];
        }

        private async Task<Dictionary<string, AccessLevel>> LevelsAsync(CancellationToken ct)
        {
            var levels = new Dictionary<string, AccessLevel>();
            foreach (var entity in targets.EntityTypes)
            {
                levels[entity] = await access.LevelAsync(entity, AccessAction.Import, ct);
            }

            return levels;
        }
    }

    public static void Map(RouteGroupBuilder imports)
    {
        imports.MapGet("/{id:guid}", async Task<Results<Ok<ImportDto>, ProblemHttpResult>> (Guid id, Handler handler, CancellationToken ct) =>
                await handler.HandleAsync(id, ct) is { IsOk: true } outcome ? TypedResults.Ok(outcome.Value) : Problems.NotFoundProblem("import"))
            .WithName("GetImport")
            .WithSummary("An import's status, progress and counts")
            .WithDescription("status: queued, running, completed, failed or cancelled; progress in percent of the file; created, updated, skipped and failed rows; " +
                             "a dry run's sample of what the first rows would become; canUndo and the undo's own status.")
            .Produces<ImportDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        imports.MapGet("/", async (Handler handler, CancellationToken ct) => TypedResults.Ok(new { items = await handler.ListAsync(ct) }))
            .WithName("ListImports")
            .WithSummary($"The latest imports (at most {ListSize}) you may see, newest first")
            .WithDescription("Yours, and everyone's for the entities your import right covers in full (level all).");
    }
}
