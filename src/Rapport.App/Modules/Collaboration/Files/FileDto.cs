using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Files;

/// <param name="ContentType">The type told by the file's content, which downloads are served as.</param>
/// <param name="ContentUrl">Where to download the bytes.</param>
/// <param name="Links">The records the file is linked to that the caller may read, with their names.</param>
public sealed record FileDto(
    Guid Id, string Name, string ContentType, long Size, string Sha256, Guid? UploadedBy, IReadOnlyList<NamedRecordRef> Links,
    DateTimeOffset CreatedAt, int Version, string ContentUrl)
{
    public static FileDto From(StoredFile f, IReadOnlyList<NamedRecordRef> links) =>
        new(f.Id, f.Name, f.ContentType, f.Size, f.Sha256, f.UploadedBy, links, f.CreatedAt, f.Version, ContentUrlOf(f.Id));

    public static string ContentUrlOf(Guid id) => $"/api/v1/files/{id}/content";
}

internal static class FileRules
{
    /// <summary>A file the current user may see (linked to a record they may read), with its links; null otherwise.</summary>
    public static async Task<(StoredFile File, List<ActivityLink> Links)?> LoadAsync(
        RapportDbContext db, ActivityLinks links, Guid id, bool tracked, CancellationToken ct)
    {
        var files = tracked ? db.Set<StoredFile>() : db.Set<StoredFile>().AsNoTracking();
        if (await files.SingleOrDefaultAsync(f => f.Id == id, ct) is not { } file)
        {
            return null;
        }

        var linked = await links.OfAsync(id, ct);
        return await links.AnyAsync(linked.Select(l => l.Record), AccessAction.Read, ct) ? (file, linked) : null;
    }
}
