using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Notes;

/// <summary>Moves a note to the trash (If-Match); same rights as changing it. The purge job deletes it and its links after 30 days.</summary>
public static class DeleteNote
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, ActivityLinks links, TimeProvider clock)
    {
        public async Task<Outcome<NoteDto>> HandleAsync(Guid id, IfMatch ifMatch, CancellationToken ct)
        {
            if (!ifMatch.Present)
            {
                return Outcome<NoteDto>.IfMatchRequired();
            }

            if (await NoteRules.LoadAsync(db, links, id, tracked: true, ct) is not var (note, linked))
            {
                return Outcome<NoteDto>.NotFound();
            }

            if (!await links.CanChangeAsync([.. linked.Select(l => l.Record)], note.AuthorId, currentUser.UserId, ct))
            {
                return Outcome<NoteDto>.Forbidden("Only the note's author, or someone who may change all its records, can delete it.");
            }

            if (ifMatch.Version is { } expected && expected != note.Version)
            {
                return Outcome<NoteDto>.Stale();
            }

            note.MoveToTrash(clock.GetUtcNow(), currentUser.UserId);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<NoteDto>.Stale();
            }

            return Outcome<NoteDto>.Ok(NoteDto.From(note, []));
        }
    }

    public static void Map(RouteGroupBuilder notes) =>
        notes.MapDelete("/{id:guid}", async (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, ETags.ReadIfMatch(http.Request), ct)).ToHttp(Note.TypeName, _ => TypedResults.NoContent()))
            .WithName("DeleteNote")
            .WithSummary("Delete a note (If-Match)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
