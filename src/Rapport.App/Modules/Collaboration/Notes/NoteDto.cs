using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;

namespace Rapport.Modules.Collaboration.Notes;

/// <summary>What a note's author writes: HTML (sanitized on the server), the records it concerns and the members it mentions.</summary>
/// <param name="Links">Records the note shows on: <c>[{"entityType":"contact","recordId":"…"}]</c>; at least one.</param>
/// <param name="Mentions">User ids of workspace members @mentioned in the note.</param>
public sealed record NoteFields(string? Html = null, IReadOnlyList<RecordRef?>? Links = null, IReadOnlyList<Guid>? Mentions = null);

/// <param name="Links">The records the note is linked to that the caller may read, with their names.</param>
public sealed record NoteDto(
    Guid Id, string Html, Guid? AuthorId, IReadOnlyList<NamedRecordRef> Links, IReadOnlyList<Guid> Mentions,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public static NoteDto From(Note n, IReadOnlyList<NamedRecordRef> links) =>
        new(n.Id, n.Html, n.AuthorId, links, n.Mentions, n.CreatedAt, n.UpdatedAt, n.Version);
}

/// <summary>The checks every note write shares.</summary>
internal static class NoteRules
{
    /// <summary>Sanitizes the HTML and checks it and the mentions; returns the sanitized HTML or the field errors.</summary>
    public static async Task<(string Html, Dictionary<string, string[]> Errors)> CheckAsync(RapportDbContext db, NoteFields fields, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var html = (fields.Html?.Length ?? 0) > Note.HtmlMaxLength * 2 ? "" : NoteHtml.Sanitize(fields.Html);
        if (html.Length > Note.HtmlMaxLength || (fields.Html?.Length ?? 0) > Note.HtmlMaxLength * 2)
        {
            errors["html"] = [$"The note is too long (at most {Note.HtmlMaxLength} characters of HTML)."];
        }
        else if (NoteHtml.IsBlank(html))
        {
            errors["html"] = ["Write something in the note."];
        }

        var mentions = (fields.Mentions ?? []).Distinct().ToList();
        if (mentions.Count > Note.MaxMentions)
        {
            errors["mentions"] = [$"Mention at most {Note.MaxMentions} people."];
        }
        else if (mentions.Count > 0 && await db.Memberships.CountAsync(m => mentions.Contains(m.UserId) && m.DeactivatedAt == null, ct) != mentions.Count)
        {
            errors["mentions"] = ["Mention only active members of this workspace."];
        }

        return (html, errors);
    }

    /// <summary>A note the current user may see (linked to a record they may read), with its links; null otherwise.</summary>
    public static async Task<(Note Note, List<Activities.ActivityLink> Links)?> LoadAsync(
        RapportDbContext db, Activities.ActivityLinks links, Guid id, bool tracked, CancellationToken ct)
    {
        var notes = tracked ? db.Set<Note>() : db.Set<Note>().AsNoTracking();
        if (await notes.SingleOrDefaultAsync(n => n.Id == id, ct) is not { } note)
        {
            return null;
        }

        var linked = await links.OfAsync(id, ct);
        return await links.AnyAsync(linked.Select(l => l.Record), Kernel.Security.AccessAction.Read, ct) ? (note, linked) : null;
    }
}
