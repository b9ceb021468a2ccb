using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Jobs;
using Rapport.Kernel.Security;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

/// <summary>
/// Starts an import (or its dry run) of a kept file as a background job, after checking everything that can be checked
/// before reading the rows: the entity and the right to import it, format, encoding, delimiter, mapping, mode and key.
/// </summary>
public static class StartImport
{
    /// <param name="Mapping">Column header → field key (null or absent: the column is ignored); null: the suggested mapping.</param>
    public sealed record Request(
        string? Entity, string StoredName, string FileName, string? Format = null, string? Encoding = null, string? Delimiter = null,
        IReadOnlyDictionary<string, string?>? Mapping = null, string? Mode = null, string? Key = null, bool DryRun = false);

    public sealed class Handler(RapportDbContext db, IAccessControl access, ICurrentUser user, ImportFiles files, JobQueue queue, TimeProvider clock, IServiceProvider services)
    {
        public async Task<Outcome<ImportDto>> HandleAsync(Request request, CancellationToken ct)
        {
            var (target, refusal) = await ImportRules.TargetAsync<ImportDto>(services, access, request.Entity, ct);
            if (target is null)
            {
                return refusal!;
            }

            var path = files.PathOf(user.WorkspaceId!.Value, request.StoredName);
            if (!File.Exists(path))
            {
                return Outcome<ImportDto>.Invalid("fileToken", "No uploaded file has this token (it may have expired): send the file again.");
            }

            var options = ImportRules.CheckOptions(path, request.FileName, request.Format, request.Encoding, request.Delimiter);
            if (!options.IsOk)
            {
                return Outcome<ImportDto>.Invalid(options.Errors);
            }

            var (format, encoding, delimiter) = options.Value;
            IReadOnlyList<string> headers;
            try
            {
                await using var stream = File.OpenRead(path);
                using var rows = ImportRows.Open(stream, format, encoding, delimiter);
                headers = rows.Headers;
                encoding ??= rows.DetectedEncoding;
                delimiter ??= rows.DetectedDelimiter is { } d ? (d == '\t' ? "\\t" : d.ToString()) : null;
            }
            catch (TabularFileException e)
            {
                return Outcome<ImportDto>.Invalid("file", e.Message);
            }

            var fields = await target.FieldsAsync(db, ct);
            var mapping = request.Mapping ?? ColumnMatcher.Suggest(headers, fields).Select((f, i) => (headers[i], f)).ToDictionary(p => p.Item1, p => p.f);
            var (mode, key, errors) = await ImportRules.CheckMappingAsync(target, db, request.Entity!, fields, mapping, request.Mode, request.Key, ct);
            var unknownColumns = mapping.Keys.Where(h => !headers.Contains(h)).ToList();
            if (unknownColumns.Count > 0)
            {
                errors["mapping"] = [$"The file has no column {string.Join(", ", unknownColumns.Select(c => $"\"{c}\""))}."];
            }

            if (errors.Count > 0)
            {
                return Outcome<ImportDto>.Invalid(errors);
            }

            var job = queue.Enqueue(db, Import.JobKind, user.UserId);
            db.Add(Import.Start(job, request.Entity!, request.FileName, request.StoredName, format, encoding, delimiter,
                JsonSerializer.Serialize(headers), JsonSerializer.Serialize(mapping), mode, key, request.DryRun, user.UserId!.Value, clock.GetUtcNow()));
            await db.SaveChangesAsync(ct);
            queue.Wake();
            return Outcome<ImportDto>.Ok((await ImportDto.LoadAsync(db, job.Id, clock, ct))!);
        }
    }

    public static void Map(RouteGroupBuilder imports) =>
        imports.MapPost("/", async (HttpContext http, Handler handler, ImportFiles files, ICurrentUser user, CancellationToken ct) =>
            {
                var workspaceId = user.WorkspaceId!.Value;
                var (upload, field, error) = await ImportUpload.ReadAsync(http, files, workspaceId, ct);
                if (upload is null)
                {
                    return Problems.Invalid(field!, error!);
                }

                var storedName = upload.StoredName ?? (upload["fileToken"] is { } token && Guid.TryParseExact(token, "N", out _) ? token : null);
                if (storedName is null)
                {
                    return Problems.Invalid("file", "Send the file in a form field named file, or the fileToken of a preview.");
                }

                Dictionary<string, string?>? mapping = null;
                if (upload["mapping"] is { } json)
                {
                    try
                    {
                        mapping = JsonSerializer.Deserialize<Dictionary<string, string?>>(json);
                    }
                    catch (JsonException)
                    {
                        return Problems.Invalid("mapping", "Mapping must be a JSON object of column → field, e.g. {\"E-mail\":\"emails\",\"Notes\":null}.");
                    }
                }

                var dryRun = upload["dryRun"];
                if (dryRun is not (null or "true" or "false"))
                {
                    return Problems.Invalid("dryRun", "dryRun must be true or false.");
                }

                var outcome = await handler.HandleAsync(new Request(upload["entity"], storedName, upload.FileName ?? upload["fileName"] ?? "import", upload["format"],
                    upload["encoding"], upload["delimiter"], mapping, upload["mode"], upload["key"] ?? upload["keys"], dryRun == "true"), ct);
                if (!outcome.IsOk && upload.StoredName is not null)
                {
                    files.Delete(workspaceId, upload.StoredName);
                }

                return outcome.ToHttp("import", i => TypedResults.Accepted($"/api/v1/imports/{i.Id}", i));
            })
            .WithName("StartImport")
            .WithSummary("Import a CSV, Excel or vCard file (or try it in a dry run)")
            .WithDescription("multipart/form-data: file (or fileToken from POST /imports/preview), entity (contact, company or lead), mapping (JSON object " +
                             "column → field; without it the suggested mapping is used), mode (create — the default —, update or upsert), key (contacts: email — the " +
                             "default —, phone or custom.<unique field>; companies: domain — the default —, name or custom.<unique field>), dryRun (true: count what would " +
                             "happen and write nothing), optional format, encoding, delimiter. Answers 202 with the import; follow GET /imports/{id}. Needs the import right.")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImportDto>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
