using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Files;

/// <summary>
/// Moves a file to the trash (If-Match): its uploader while they may change one of its records, anyone else only with
/// the right to change all of them. The purge job deletes the row, its links and its bytes after 30 days.
/// </summary>
public static class DeleteFile
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, ActivityLinks links, TimeProvider clock)
    {
        public async Task<Outcome<FileDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<FileDto>.IfMatchRequired();
            }

            if (await FileRules.LoadAsync(db, links, id, tracked: true, ct) is not var (file, linked))
            {
                return Outcome<FileDto>.NotFound();
            }

            if (!await links.CanChangeAsync([.. linked.Select(l => l.Record)], file.UploadedBy, currentUser.UserId, ct))
            {
                return Outcome<FileDto>.Forbidden("Only the file's uploader, or someone who may change all its records, can delete it.");
            }

            if (ifMatch.Version is { } expected && expected != file.Version)
            {
                return Outcome<FileDto>.Stale();
            }

            file.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<FileDto>.Stale();
            }

            return Outcome<FileDto>.Ok(FileDto.From(file, []));
        }
    }

    public static void Map(RouteGroupBuilder files) =>
        files.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp(StoredFile.TypeName, _ => TypedResults.NoContent()))
            .WithName("DeleteFile")
            .WithSummary("Delete a file (If-Match)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
