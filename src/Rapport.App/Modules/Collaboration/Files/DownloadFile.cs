using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Files;

/// <summary>
/// Serves a file's bytes to whoever may read one of its records, always as a download
/// (<c>Content-Disposition: attachment</c>, <c>nosniff</c>, the type its content was recognised as), so an uploaded
/// file never runs in the application's origin.
/// </summary>
public static class DownloadFile
{
    public sealed class Handler(RapportDbContext db, ActivityLinks links, FileStore store, ICurrentUser currentUser)
    {
        /// <summary>The file and the path of its bytes, or null when the caller may not see it.</summary>
        public async Task<(StoredFile File, string Path)?> HandleAsync(Guid id, CancellationToken ct) =>
            await FileRules.LoadAsync(db, links, id, tracked: false, ct) is var (file, _)
                ? (file, store.PathOf(currentUser.WorkspaceId!.Value, file.StorageName))
                : null;
    }

    public static void Map(RouteGroupBuilder files) =>
        files.MapGet("/{id:guid}/content", async Task<IResult> (Guid id, Handler handler, HttpContext http, CancellationToken ct) =>
            {
                if (await handler.HandleAsync(id, ct) is not var (file, path) || !File.Exists(path))
                {
                    return Problems.NotFoundProblem(StoredFile.TypeName);
                }

                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.CacheControl = "private, no-store";
                return TypedResults.PhysicalFile(path, file.ContentType, fileDownloadName: file.Name, enableRangeProcessing: true);
            })
            .WithName("DownloadFile")
            .WithSummary("Download a file")
            .WithDescription("Always an attachment, served as the type its content was recognised as, with X-Content-Type-Options: nosniff.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
