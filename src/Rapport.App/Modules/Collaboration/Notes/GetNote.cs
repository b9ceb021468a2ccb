using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Notes;

/// <summary>Reads a note linked to a record the caller may read.</summary>
public static class GetNote
{
    public sealed class Handler(RapportDbContext db, ActivityLinks links)
    {
        public async Task<NoteDto?> HandleAsync(Guid id, CancellationToken ct) =>
            await NoteRules.LoadAsync(db, links, id, tracked: false, ct) is var (note, linked)
                ? NoteDto.From(note, await links.NamedAsync(linked.Select(l => l.Record), ct))
                : null;
    }

    public static void Map(RouteGroupBuilder notes) =>
        notes.MapGet("/{id:guid}", async Task<IResult> (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not { } note)
                {
                    return Problems.NotFoundProblem(Note.TypeName);
                }

                ETags.Set(http.Response, note.Version);
                return TypedResults.Ok(note);
            })
            .WithName("GetNote")
            .WithSummary("Read a note")
            .Produces<NoteDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
