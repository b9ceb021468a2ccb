using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Notes;

/// <summary>
/// Changes a note (JSON merge patch over html, links, mentions; If-Match): its author while they may change one of
/// its records, anyone else only with the right to change all of them. Links to records the caller cannot see stay.
/// </summary>
public static class UpdateNote
{
    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, ActivityLinks links)
    {
        public Task<Outcome<NoteDto>> HandleAsync(Guid id, JsonElement patch, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, current => JsonBody.Merge(current, patch), ct);

        /// <summary>For pages: what <paramref name="fields"/> leaves null stays as it is.</summary>
        public Task<Outcome<NoteDto>> HandleAsync(Guid id, NoteFields fields, IfMatch ifMatch, CancellationToken ct) =>
            ChangeAsync(id, ifMatch, current => Outcome<NoteFields>.Ok(new NoteFields(
                fields.Html ?? current.Html, fields.Links ?? current.Links, fields.Mentions ?? current.Mentions)), ct);

        private async Task<Outcome<NoteDto>> ChangeAsync(Guid id, IfMatch ifMatch, Func<NoteFields, Outcome<NoteFields>> change, CancellationToken ct)
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
                return Outcome<NoteDto>.Forbidden("Only the note's author, or someone who may change all its records, can change it.");
            }

            if (ifMatch.Version is { } expected && expected != note.Version)
            {
                return Outcome<NoteDto>.Stale();
            }

            var visible = await links.NamedAsync(linked.Select(l => l.Record), ct);
            var current = new NoteFields(note.Html, [.. visible.Select(v => new RecordRef(v.EntityType, v.RecordId))], note.Mentions);
            var fields = change(current);
            if (!fields.IsOk)
            {
                return Outcome<NoteDto>.Invalid(fields.Errors);
            }

            var wanted = fields.Value!.Links ?? [];
            var hidden = linked.Count - visible.Count; // links to records the caller cannot see stay
            if (await links.CheckNewAsync<NoteDto>(wanted, required: hidden == 0, ct, current.Links) is { } refused)
            {
                return refused;
            }

            var removed = current.Links!.Where(c => !wanted.Contains(c)).OfType<RecordRef>().ToList();
            if (removed.Count > 0 && !await links.AllAsync(removed, AccessAction.Update, ct))
            {
                return Outcome<NoteDto>.Forbidden("Taking a note off a record's timeline needs the right to change that record.");
            }

            var (html, errors) = await NoteRules.CheckAsync(db, fields.Value!, ct);
            if (errors.Count > 0)
            {
                return Outcome<NoteDto>.Invalid(errors);
            }

            note.Change(html, fields.Value!.Mentions ?? []);
            await links.ReplaceAsync(Note.TypeName, note.Id, linked, wanted.OfType<RecordRef>(), ct);
            db.Entry(note).Property(n => n.Version).IsModified = true; // a change of links alone still makes a new version
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Outcome<NoteDto>.Stale();
            }

            return Outcome<NoteDto>.Ok(NoteDto.From(note, await links.NamedAsync((await links.OfAsync(note.Id, ct)).Select(l => l.Record), ct)));
        }
    }

    public static void Map(RouteGroupBuilder notes) =>
        notes.MapPatch("/{id:guid}", async (Guid id, JsonElement body, Handler handler, HttpContext http, CancellationToken ct) =>
                (await handler.HandleAsync(id, body, ETags.ReadIfMatch(http.Request), ct)).ToHttp(Note.TypeName, n =>
                {
                    ETags.Set(http.Response, n.Version);
                    return TypedResults.Ok(n);
                }))
            .WithName("UpdateNote")
            .WithSummary("Change a note (JSON merge patch, If-Match)")
            .WithDescription("links replaces the links you can see; links to records you cannot see stay.")
            .Accepts<NoteFields>("application/merge-patch+json", "application/json")
            .Produces<NoteDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
