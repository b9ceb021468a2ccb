using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Imports;

/// <summary>Asks for an import to be undone (as a background job, see <see cref="ImportUndoJob"/>) within its retention period.</summary>
public static class UndoImport
{
    public sealed class Handler(RapportDbContext db, GetImport.Handler imports, JobQueue queue, ICurrentUser user)
    {
        public async Task<Outcome<ImportDto>> HandleAsync(Guid id, CancellationToken ct)
        {
            if (await imports.HandleAsync(id, ct) is not { IsOk: true } found)
            {
                return Outcome<ImportDto>.NotFound();
            }

            if (!found.Value!.CanUndo)
            {
                return Outcome<ImportDto>.Conflict(found.Value.DryRun ? "A dry run wrote nothing to undo."
                    : found.Value.Undo is not null ? "The import is undone already (or being undone)."
                    : found.Value.Status != JobStatuses.Completed ? "Only a completed import can be undone; cancel it first if it is running."
                    : $"Imports can be undone for {Import.UndoRetention.TotalDays:0} days.");
            }

            var import = await db.Set<Import>().SingleAsync(i => i.Id == id, ct);
            import.UndoBy(queue.Enqueue(db, Import.UndoJobKind, user.UserId));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<ImportDto>.Conflict("The import is undone already (or being undone).");
            }

            queue.Wake();
            return await imports.HandleAsync(id, ct);
        }
    }

    public static void Map(RouteGroupBuilder imports) =>
        imports.MapPost("/{id:guid}/undo", async (Guid id, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp("import", i => TypedResults.Accepted($"/api/v1/imports/{i.Id}", i)))
            .WithName("UndoImport")
            .WithSummary("Undo an import")
            .WithDescription($"Removes the records the import created and puts back the fields it updated, in the background (follow undo.status in " +
                             $"GET /imports/{{id}}). Records someone changed since the import are left alone, counted in undo.leftAlone and listed in undo.leftAloneRecords. Possible for " +
                             $"{Import.UndoRetention.TotalDays:0} days after a completed import; 409 otherwise.")
            .Produces<ImportDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
