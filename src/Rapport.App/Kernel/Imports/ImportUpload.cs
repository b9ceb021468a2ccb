using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Rapport.Kernel.Imports;

/// <summary>
/// Reads an import's multipart form as a stream: the file goes straight to <see cref="ImportFiles"/> (never into memory),
/// the other fields are short texts.
/// </summary>
public sealed record ImportUpload(string? StoredName, string? FileName, IReadOnlyDictionary<string, string> Fields)
{
    private const int MaxFieldChars = 64 * 1024;

    public string? this[string name] => Fields.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;

    /// <summary>The form, or a reason to refuse it (keyed by field); a file already kept is deleted again on refusal.</summary>
    public static async Task<(ImportUpload? Upload, string? Field, string? Error)> ReadAsync(HttpContext http, ImportFiles files, Guid workspaceId, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media) || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
        {
            return (null, "file", "Send multipart/form-data with a file field.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = ImportFiles.MaxBytes + 1024 * 1024;
        }

        string? stored = null;
        string? fileName = null;
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { } name)
                {
                    continue;
                }

                if (name == "file" && disposition.IsFileDisposition() && stored is null)
                {
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "import";
                    (stored, _) = await files.KeepAsync(workspaceId, section.Body, ct);
                }
                else
                {
                    using var text = new StreamReader(section.Body);
                    var buffer = new char[MaxFieldChars + 1];
                    var length = await text.ReadBlockAsync(buffer, ct);
                    if (length > MaxFieldChars)
                    {
                        throw new InvalidDataException($"The field {name} is longer than {MaxFieldChars} characters.");
                    }

                    fields[name] = new string(buffer, 0, length).Trim();
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            if (stored is not null)
            {
                files.Delete(workspaceId, stored);
            }

            return (null, "file", e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? $"The file is larger than {ImportFiles.MaxBytes >> 20} MB." : e.Message);
        }

        return (new ImportUpload(stored, fileName, fields), null, null);
    }
}
