using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Api;
using Rapport.Kernel.Data;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

/// <summary>
/// The rows an import refused or skipped, as a CSV to fix and import again: the file's own columns as they were, then the
/// row number and the reason. Streamed in pages, so a million-row error file takes no more memory than a small one.
/// </summary>
public static class ImportErrorsFile
{
    private const int Page = 1000;

    public static void Map(RouteGroupBuilder imports) =>
        imports.MapGet("/{id:guid}/errors", async (Guid id, bool? bom, HttpContext http, GetImport.Handler imports, RapportDbContext db, CancellationToken ct) =>
            {
                if (await imports.HandleAsync(id, ct) is not { IsOk: true })
                {
                    return Problems.NotFoundProblem("import");
                }

                var import = await db.Set<Import>().AsNoTracking().SingleAsync(i => i.Id == id, ct);
                var headers = JsonSerializer.Deserialize<List<string>>(import.Headers) ?? [];
                http.Response.ContentType = "text/csv; charset=utf-8";
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"import-errors-{id:N}.csv\"";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(bom != false), 65536);
                await WriteRowAsync(writer, [.. headers, "Row", "Reason"]);
                long after = 0;
                while (true)
                {
                    var page = await db.Set<ImportError>().AsNoTracking().Where(e => e.ImportId == id && e.RowNumber > after)
                        .OrderBy(e => e.RowNumber).Take(Page).ToListAsync(ct);
                    foreach (var error in page)
                    {
                        var cells = JsonSerializer.Deserialize<List<string?>>(error.Cells) ?? [];
                        await WriteRowAsync(writer, [.. cells, error.RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Reason]);
                    }

                    if (page.Count < Page)
                    {
                        break;
                    }

                    after = page[^1].RowNumber;
                    await writer.FlushAsync(ct);
                }

                await writer.FlushAsync(ct);
                return Results.Empty;
            })
            .WithName("GetImportErrors")
            .WithSummary("The rows an import refused or skipped, as CSV")
            .WithDescription("The file's columns as they were, then Row (its line in the file) and Reason. UTF-8 with a BOM so Excel reads Chinese " +
                             "(bom=false leaves it out). Cells a spreadsheet would run as formulas are neutralized with a leading '.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static Task WriteRowAsync(StreamWriter writer, IEnumerable<string?> cells) =>
        writer.WriteAsync(string.Join(',', cells.Select(c => Quote(SpreadsheetCells.Neutralize(c)))) + "\r\n");

    private static string Quote(string? cell) =>
        cell is null ? "" : cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
