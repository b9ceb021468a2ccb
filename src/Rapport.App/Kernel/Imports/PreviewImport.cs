using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Security;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

/// <summary>
/// The first look at a file before importing it: the columns, the fields they seem to mean (headers in English or Chinese),
/// the first rows, the encoding and delimiter found. The file is kept under a token, so the import does not upload it again.
/// </summary>
public static class PreviewImport
{
    public const int SampleRows = 5;

    /// <param name="FileToken">Pass it as <c>fileToken</c> to <c>POST /imports</c> instead of the file.</param>
    public sealed record ImportPreview(
        string FileToken, string FileName, string Format, string? Encoding, string? Delimiter, IReadOnlyList<string> Headers,
        IReadOnlyDictionary<string, string?> SuggestedMapping, IReadOnlyList<IReadOnlyList<string?>> Rows,
        IReadOnlyList<ImportFieldInfo> Fields, IReadOnlyList<string> Keys, string DefaultKey);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ImportFiles files, IServiceProvider services)
    {
        public async Task<Outcome<ImportPreview>> HandleAsync(string? entity, string storedName, string fileName, string? format, string? encoding, string? delimiter, CancellationToken ct)
        {
            var (target, refusal) = await ImportRules.TargetAsync<ImportPreview>(services, access, entity, ct);
            if (target is null)
            {
                return refusal!;
            }

            var options = ImportRules.CheckOptions(files.PathOf(db.WorkspaceId!.Value, storedName), fileName, format, encoding, delimiter);
            if (!options.IsOk)
            {
                return Outcome<ImportPreview>.Invalid(options.Errors);
            }

            var (resolvedFormat, resolvedEncoding, resolvedDelimiter) = options.Value;
            try
            {
                await using var stream = File.OpenRead(files.PathOf(db.WorkspaceId!.Value, storedName));
                using var rows = ImportRows.Open(stream, resolvedFormat, resolvedEncoding, resolvedDelimiter);
                var sample = new List<IReadOnlyList<string?>>();
                while (sample.Count < SampleRows && rows.Read())
                {
                    sample.Add([.. rows.Values]);
                }

                var fields = await target.FieldsAsync(db, ct);
                var suggested = ColumnMatcher.Suggest(rows.Headers, fields);
                return Outcome<ImportPreview>.Ok(new ImportPreview(storedName, fileName, resolvedFormat, rows.DetectedEncoding, Delimiter(rows.DetectedDelimiter),
                    rows.Headers, rows.Headers.Select((h, i) => (h, suggested[i])).ToDictionary(p => p.h, p => p.Item2), sample, fields,
                    await target.KeysAsync(db, ct), target.DefaultKey));
            }
            catch (TabularFileException e)
            {
                return Outcome<ImportPreview>.Invalid("file", e.Message);
            }
        }

        /// <summary>
        /// For pages: keeps the browser's upload as it streams in (never all in memory), then previews it; a file the preview
        /// refuses is deleted again. The API reads its multipart body the same way (<see cref="ImportUpload"/>).
        /// </summary>
        public async Task<Outcome<ImportPreview>> HandleAsync(string? entity, Stream upload, string fileName, string? encoding, string? delimiter, CancellationToken ct)
        {
            if ((await ImportRules.TargetAsync<ImportPreview>(services, access, entity, ct)).Refusal is { } refusal)
            {
                return refusal; // before a byte is kept
            }

            var workspaceId = db.WorkspaceId!.Value;
            string storedName;
            try
            {
                (storedName, _) = await files.KeepAsync(workspaceId, upload, ct);
            }
            catch (InvalidDataException e)
            {
                return Outcome<ImportPreview>.Invalid("file", e.Message);
            }

            var outcome = await HandleAsync(entity, storedName, fileName, null, encoding, delimiter, ct);
            if (!outcome.IsOk)
            {
                files.Delete(workspaceId, storedName);
            }

            return outcome;
        }

        private static string? Delimiter(char? delimiter) => delimiter is { } d ? (d == '\t' ? "\\t" : d.ToString()) : null;
    }

    public static void Map(RouteGroupBuilder imports) =>
        imports.MapPost("/preview", async (HttpContext http, Handler handler, ImportFiles files, ICurrentUser user, CancellationToken ct) =>
            {
                var (upload, field, error) = await ImportUpload.ReadAsync(http, files, user.WorkspaceId!.Value, ct);
                if (upload is null)
                {
                    return Problems.Invalid(field!, error!);
                }

                if (upload.StoredName is null)
                {
                    return Problems.Invalid("file", "Send the file in a form field named file.");
                }

                var outcome = await handler.HandleAsync(upload["entity"], upload.StoredName, upload.FileName!, upload["format"], upload["encoding"], upload["delimiter"], ct);
                if (!outcome.IsOk)
                {
                    files.Delete(user.WorkspaceId!.Value, upload.StoredName);
                }

                return outcome.ToHttp("import", p => TypedResults.Ok(p));
            })
            .WithName("PreviewImport")
            .WithSummary("Look at a file before importing it")
            .WithDescription("multipart/form-data: file, entity (contact, company or lead), optional format (csv, xlsx, vcf), encoding (utf-8, gb18030, gbk, utf-16, big5, " +
                             "windows-1252; detected when absent) and delimiter (, ; \\t |; detected when absent). Answers the columns, the suggested mapping " +
                             "(column → field, from headers in English or Chinese), the first rows, the fields and keys, and a fileToken for POST /imports.")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImportPreview>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
