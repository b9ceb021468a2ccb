using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Notes;

/// <summary>Writes a note on one or more records; needs the right to change each of them.</summary>
public static class CreateNote
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, ActivityLinks links)
    {
        public async Task<Outcome<NoteDto>> HandleAsync(NoteFields fields, CancellationToken ct)
        {
            if (await links.CheckNewAsync<NoteDto>(fields.Links, required: true, ct) is { } refused)
            {
                return refused;
            }

            var (html, errors) = await NoteRules.CheckAsync(db, fields, ct);
            if (errors.Count > 0)
            {
                return Outcome<NoteDto>.Invalid(errors);
            }

            var note = Note.Write(currentUser.WorkspaceId!.Value, currentUser.UserId, html, fields.Mentions ?? []);
            db.Add(note);
            var records = fields.Links!.OfType<RecordRef>().Distinct().ToList();
            links.Add(Note.TypeName, note.Id, records);
            await db.SaveChangesAsync(ct);
            return Outcome<NoteDto>.Ok(NoteDto.From(note, await links.NamedAsync(records, ct)));
        }
    }

    public static void Map(RouteGroupBuilder notes) =>
        notes.MapPost("/", async (JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                var fields = JsonBody.Read<NoteFields>(body);
                var outcome = fields.IsOk ? await handler.HandleAsync(fields.Value!, ct) : Outcome<NoteDto>.Invalid(fields.Errors);
                return outcome.ToHttp(Note.TypeName, n =>
                {
                    ETags.Set(http.Response, n.Version);
                    return TypedResults.Created($"/api/v1/notes/{n.Id}", n);
                });
            })
            .WithName("CreateNote")
            .WithSummary("Write a note on one or more records")
            .WithDescription("html is sanitized: basic formatting, links (http, https, mailto) and lists stay; scripts, styles and event handlers go. " +
                             "links: the records the note shows on (each needs your right to change it). mentions: member user ids. Accepts Idempotency-Key.")
            .Accepts<NoteFields>("application/json")
            .Produces<NoteDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
