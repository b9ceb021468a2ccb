using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rapport.Kernel.Api;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Listing;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Timeline;

/// <summary>
/// One entry of a record's timeline. <see cref="Kind"/> says which fields are set: the audit kinds
/// (<c>created</c>, <c>updated</c>, <c>deleted</c>, <c>restored</c>) carry <see cref="Changes"/>; <c>note</c> carries
/// <see cref="Html"/>, <see cref="Links"/> and <see cref="Mentions"/>; <c>file</c> carries <see cref="File"/> and <see cref="Links"/>.
/// Later modules add their kinds (email, call, meeting) through an <see cref="ITimelineSource"/>.
/// </summary>
/// <param name="ActorId">Who did it (the author of a note, the uploader of a file, the user of an audit row).</param>
/// <param name="Changes">Field → {before, after}, without the fields the caller may not see.</param>
/// <param name="Html">The note's sanitized HTML.</param>
/// <param name="Links">The records the activity is linked to that the caller may read.</param>
/// <param name="Version">The activity's version, for If-Match when editing or deleting it.</param>
public sealed record TimelineEntry(
    string Kind, Guid Id, DateTimeOffset At, Guid? ActorId,
    JsonObject? Changes = null, string? Html = null, TimelineFile? File = null,
    IReadOnlyList<NamedRecordRef>? Links = null, IReadOnlyList<Guid>? Mentions = null, DateTimeOffset? EditedAt = null, int? Version = null);

/// <summary>A file on a timeline; download it from <see cref="ContentUrl"/>.</summary>
public sealed record TimelineFile(string Name, long Size, string ContentType, string ContentUrl);

/// <summary>Where a timeline page ends: entries strictly older than (<see cref="At"/>, <see cref="Id"/>) come next.</summary>
public readonly record struct TimelineBoundary(DateTimeOffset At, Guid Id);

/// <summary>
/// A kind of thing that shows on record timelines. Each source returns, newest first, at most <c>limit</c> of its
/// entries about the record that come after <c>before</c> in the order (at desc, id desc); the timeline merges them.
/// Register with <c>services.AddScoped&lt;ITimelineSource, …&gt;()</c>.
/// </summary>
public interface ITimelineSource
{
    Task<IReadOnlyList<TimelineEntry>> ReadAsync(string entityType, Guid recordId, TimelineBoundary? before, int limit, CancellationToken ct);
}

/// <summary>The keyset condition every source applies: strictly after <c>before</c> in (at desc, id desc).</summary>
public static class TimelineOrder
{
    public static IQueryable<T> Before<T>(this IQueryable<T> query, TimelineBoundary? before, System.Linq.Expressions.Expression<Func<T, bool>> olderThan) =>
        before is null ? query : query.Where(olderThan);

    public static int Compare(TimelineEntry a, TimelineEntry b) => a.At != b.At ? b.At.CompareTo(a.At) : b.Id.CompareTo(a.Id);
}

/// <summary>
/// A record's timeline (<c>GET /{records}/{id}/timeline</c>): creation and field changes from the audit log,
/// notes, files and whatever later modules register, newest first, keyset paged. Whoever may read the record
/// sees its timeline; hidden fields stay hidden.
/// </summary>
public static class RecordTimeline
{
    public const int DefaultLimit = 30;

    private sealed record CursorData(long At, Guid Id);

    public sealed class Handler(RecordDirectory records, IEnumerable<ITimelineSource> sources)
    {
        public async Task<Outcome<Page<TimelineEntry>>> HandleAsync(string entityType, Guid id, int? limit, string? cursor, CancellationToken ct)
        {
            var take = limit ?? DefaultLimit;
            if (take is < 1 or > ListRequest.MaxLimit)
            {
                return Outcome<Page<TimelineEntry>>.Invalid("limit", $"limit must be between 1 and {ListRequest.MaxLimit}.");
            }

            if (!await records.CanAsync(new RecordRef(entityType, id), AccessAction.Read, ct))
            {
                return Outcome<Page<TimelineEntry>>.NotFound();
            }

            var before = Decode(cursor);
            var entries = new List<TimelineEntry>();
            foreach (var source in sources)
            {
                entries.AddRange(await source.ReadAsync(entityType, id, before, take + 1, ct));
            }

            entries.Sort(TimelineOrder.Compare);
            if (entries.Count <= take)
            {
                return Outcome<Page<TimelineEntry>>.Ok(new Page<TimelineEntry>(entries, null));
            }

            var page = entries.Take(take).ToList();
            var last = page[^1];
            var next = WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(new CursorData(last.At.UtcTicks, last.Id)));
            return Outcome<Page<TimelineEntry>>.Ok(new Page<TimelineEntry>(page, next));
        }

        private static TimelineBoundary? Decode(string? cursor)
        {
            if (string.IsNullOrEmpty(cursor))
            {
                return null;
            }

            try
            {
                var data = JsonSerializer.Deserialize<CursorData>(Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor)));
                if (data is not null && data.At > 0)
                {
                    return new TimelineBoundary(new DateTimeOffset(data.At, TimeSpan.Zero), data.Id);
                }
            }
            catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
            {
                // answered below
            }

            throw new FilterException("cursor", "The cursor is not one this timeline returned.");
        }
    }

    /// <summary>Maps <c>GET /{id}/timeline</c> on a record group.</summary>
    public static void Map(RouteGroupBuilder records, string entityType) =>
        records.MapGet("/{id:guid}/timeline", async (Guid id, int? limit, string? cursor, Handler handler, CancellationToken ct) =>
                (await handler.HandleAsync(entityType, id, limit, cursor, ct)).ToHttp(entityType, TypedResults.Ok))
            .WithName($"Get{char.ToUpperInvariant(entityType[0])}{entityType[1..]}Timeline")
            .WithSummary($"A {entityType}'s timeline: creation, field changes, notes and files, newest first")
            .WithDescription("Keyset paged: pass nextCursor as cursor for older entries. Entry kinds: created, updated, deleted, restored " +
                             "(with changes: field → {before, after}), note (html, links, mentions), file (file, links).")
            .Produces<Page<TimelineEntry>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

    public static IServiceCollection AddRecordTimeline(this IServiceCollection services)
    {
        services.TryAddScoped<RecordDirectory>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ITimelineSource, AuditTimelineSource>());
        return services;
    }
}

/// <summary>Creation, field changes, deletion and restore of the record itself, from its audit rows.</summary>
internal sealed class AuditTimelineSource(RapportDbContext db, IAccessControl access) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string entityType, Guid recordId, TimelineBoundary? before, int limit, CancellationToken ct)
    {
        var at = before?.At ?? default;
        var id = before?.Id ?? default;
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == entityType && a.EntityId == recordId)
            .Before(before, a => a.At < at || a.At == at && a.Id.CompareTo(id) < 0)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Take(limit).ToListAsync(ct);
        var policy = await access.FieldsAsync(entityType, ct);
        return [.. rows.Select(a => new TimelineEntry(Kind(a.Action), a.Id, a.At, a.UserId, Changes: AuditEntryDto.From(a, policy.IsHidden).Changes))];
    }

    private static string Kind(string action) => action switch
    {
        AuditActions.Create => "created",
        AuditActions.Update => "updated",
        AuditActions.Delete => "deleted",
        AuditActions.Restore => "restored",
        _ => action,
    };
}
