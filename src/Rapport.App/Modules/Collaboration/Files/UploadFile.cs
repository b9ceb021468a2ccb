using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Records;
using Rapport.Kernel.Security;
using Rapport.Modules.Collaboration.Activities;

namespace Rapport.Modules.Collaboration.Files;

/// <summary>
/// Uploads a file onto one or more records' timelines (needs the right to change each). The size limit and the type
/// allowlist are checked on the content as it streams in; the bytes go to disk under a random name.
/// </summary>
public static class UploadFile
{
    /// <summary>Largest <c>links</c> form field read.</summary>
    private const int MaxLinksField = 64 * 1024;

    public sealed class Handler(RapportDbContext db, ICurrentUser currentUser, ActivityLinks links, FileStore store)
    {
        /// <param name="file">The upload, already streamed to a temporary file by <see cref="FileStore.ReceiveAsync"/>.</param>
        public async Task<Outcome<FileDto>> HandleAsync(ReceivedFile file, IReadOnlyList<RecordRef?>? linkTo, CancellationToken ct)
        {
            if (await links.CheckNewAsync<FileDto>(linkTo, required: true, ct) is { } refused)
            {
                return refused;
            }

            if (file.Size == 0)
            {
                return Outcome<FileDto>.Invalid("file", "The file is empty.");
            }

            var (type, refusal) = FileTypes.Detect(file.Head, file.FileName, store.Allowed);
            if (type is null)
            {
                return Outcome<FileDto>.Invalid("file", refusal!);
            }

            var workspaceId = currentUser.WorkspaceId!.Value;
            var storageName = store.Keep(file, workspaceId);
            var stored = StoredFile.Create(workspaceId, currentUser.UserId, file.FileName, type, file.Size, file.Sha256, storageName);
            db.Add(stored);
            var records = linkTo!.OfType<RecordRef>().Distinct().ToList();
            links.Add(StoredFile.TypeName, stored.Id, records);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch
            {
                store.Delete(workspaceId, storageName);
                throw;
            }

            return Outcome<FileDto>.Ok(FileDto.From(stored, await links.NamedAsync(records, ct)));
        }
    }

    /// <summary>The <c>links</c> form field: a JSON array of <c>{"entityType","recordId"}</c>.</summary>
    public static Outcome<IReadOnlyList<RecordRef?>> ReadLinks(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Outcome<IReadOnlyList<RecordRef?>>.Invalid("links", "Send a links field: [{\"entityType\":\"contact\",\"recordId\":\"…\"}].");
        }

        try
        {
            return JsonSerializer.Deserialize<List<RecordRef?>>(json, JsonBody.Strict) is { } links
                ? Outcome<IReadOnlyList<RecordRef?>>.Ok(links)
                : Outcome<IReadOnlyList<RecordRef?>>.Invalid("links", "links must be a JSON array.");
        }
        catch (JsonException)
        {
            return Outcome<IReadOnlyList<RecordRef?>>.Invalid("links", "links must be a JSON array of {\"entityType\",\"recordId\"}.");
        }
    }

    public static void Map(RouteGroupBuilder files) =>
        files.MapPost("/", async Task<IResult> (HttpContext http, Handler handler, FileStore store, CancellationToken ct) =>
            {
                if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media) || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
                {
                    return Problems.Invalid("file", "Send multipart/form-data with a file field and a links field.");
                }

                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = store.MaxBytes + MaxLinksField + 64 * 1024; // the file, the links and the multipart framing
                }

                ReceivedFile? received = null;
                try
                {
                    string? linksJson = null;
                    var reader = new MultipartReader(boundary, http.Request.Body);
                    while (await reader.ReadNextSectionAsync(ct) is { } section)
                    {
                        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                        {
                            continue;
                        }

                        var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                        if (name == "file" && disposition.IsFileDisposition() && received is null)
                        {
                            var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                            received = await store.ReceiveAsync(section.Body, fileName, ct);
                        }
                        else if (name == "links")
                        {
                            using var text = new StreamReader(section.Body);
                            var buffer = new char[MaxLinksField + 1];
                            var length = await text.ReadBlockAsync(buffer, ct);
                            linksJson = length > MaxLinksField ? null : new string(buffer, 0, length);
                        }
                    }

                    if (received is null)
                    {
                        return Problems.Invalid("file", "Send the file in a form field named file.");
                    }

                    var linkTo = ReadLinks(linksJson);
                    var outcome = linkTo.IsOk ? await handler.HandleAsync(received, linkTo.Value, ct) : Outcome<FileDto>.Invalid(linkTo.Errors);
                    return outcome.ToHttp(StoredFile.TypeName, f =>
                    {
                        ETags.Set(http.Response, f.Version);
                        return TypedResults.Created($"/api/v1/files/{f.Id}", f);
                    });
                }
                catch (Exception e) when (e is FileTooLargeException || e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
                {
                    return TooLarge(store.MaxBytes);
                }
                finally
                {
                    received?.Dispose();
                }
            })
            .WithName("UploadFile")
            .WithSummary("Upload a file onto one or more records")
            .WithDescription("multipart/form-data with a file field and a links field holding a JSON array, e.g. " +
                             "[{\"entityType\":\"contact\",\"recordId\":\"…\"}]. The type is decided by the content (PDF, PNG, JPEG, GIF, WebP, " +
                             "plain text, Word/Excel/PowerPoint) and must match the name's extension; executables and scripts are refused. " +
                             "Larger than Rapport:Files:MaxSizeMegabytes (default 25): 413.")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<FileDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    private static IResult TooLarge(long maxBytes) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            ["file"] = [$"The file is larger than the limit of {FileStore.Megabytes(maxBytes)} MB."],
        })
        {
            Status = StatusCodes.Status413PayloadTooLarge, Type = Problems.Validation, Title = "File too large",
            Detail = $"Files may be at most {FileStore.Megabytes(maxBytes)} MB.",
        });
}
