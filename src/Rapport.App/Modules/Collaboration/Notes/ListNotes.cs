using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Notes;

/// <summary>Lists the notes the caller may see (those linked to a record they may read), or those of one record.</summary>
public static class ListNotes
{
    public static readonly FieldCatalog<Note> Fields = new FieldCatalog<Note>()
        .Id("authorId", n => n.AuthorId)
        .Instant("createdAt", n => n.CreatedAt)
        .Instant("updatedAt", n => n.UpdatedAt);

    public sealed class Handler(RapportDbContext db, ActivityLinks links, RecordDirectory records, TimeProvider clock)
    {
        public async Task<Outcome<Page<NoteDto>>> HandleAsync(RecordRef? record, ListRequest request, CancellationToken ct)
        {
            IQueryable<Note> notes = db.Set<Note>().AsNoTracking();
            if (record is not null)
            {
                if (!await records.CanAsync(record, AccessAction.Read, ct))
                {
                    return Outcome<Page<NoteDto>>.NotFound();
                }

                var linked = db.Set<ActivityLink>()
                    .Where(l => l.ActivityType == Note.TypeName && l.EntityType == record.EntityType && l.RecordId == record.RecordId)
                    .Select(l => l.ActivityId);
                notes = notes.Where(n => linked.Contains(n.Id));
            }
            else
            {
                var visible = await links.VisibleAsync(Note.TypeName, ct);
                notes = notes.Where(n => visible.Contains(n.Id));
            }

            var page = await KeysetPager.PageAsync(notes, request, Fields, "-createdAt", clock.GetUtcNow(), ct);
            var named = await links.NamedByActivityAsync([.. page.Data.Select(n => n.Id)], ct);
            return Outcome<Page<NoteDto>>.Ok(new Page<NoteDto>([.. page.Data.Select(n => NoteDto.From(n, named.GetValueOrDefault(n.Id, [])))], page.NextCursor));
        }
    }

    public static void Map(RouteGroupBuilder notes) =>
        notes.MapGet("/", async Task<IResult> (string? entityType, Guid? recordId, string? filter, string? sort, int? limit, string? cursor, Handler handler, CancellationToken ct) =>
            {
                if (entityType is null != recordId is null)
                {
                    return Problems.Invalid("recordId", "Give both entityType and recordId, or neither.");
                }

                var record = entityType is null ? null : new RecordRef(entityType, recordId!.Value);
                return (await handler.HandleAsync(record, new ListRequest(filter, sort, limit, cursor), ct)).ToHttp(entityType ?? Note.TypeName, TypedResults.Ok);
            })
            .WithName("ListNotes")
            .WithSummary("List notes, newest first")
            .WithDescription("entityType + recordId (e.g. contact and its id): the notes of one record. filter over authorId, createdAt, updatedAt; " +
                             "sort e.g. -createdAt (default); limit 1–200, cursor from nextCursor.")
            .Produces<Page<NoteDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
}
