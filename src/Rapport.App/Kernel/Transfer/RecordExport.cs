using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;
using Rapport.Kernel.Audit;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Data;
using Rapport.Kernel.Entities;
using Rapport.Kernel.Filtering;
using Rapport.Kernel.Security;
using Rapport.Kernel.Views;

namespace Rapport.Kernel.Transfer;

public enum ExportFormat { Csv, Xlsx, VCard }

/// <summary>The query of an export endpoint: <c>format</c>, the list's <c>filter</c> and <c>sort</c>, <c>columns</c> (comma list) and <c>bom</c> (CSV).</summary>
public sealed record ExportRequest(string? Format, string? Filter, string? Sort, string? Columns, bool? Bom);

/// <summary>A column of an export: its header (a stable API field name, so a re-import maps it), the restrictable field governing it, and its value in a row.</summary>
public sealed record ExportColumn<TRow>(string Name, Func<TRow, object?> Value, string? Field = null)
{
    public string AccessField => Field ?? Name;
}

/// <summary>What one export writes: rows chunk by chunk (read lazily), the columns, and what its audit entry records.</summary>
/// <param name="Card">How a row becomes a vCard (contacts only).</param>
public sealed record ExportPlan<TRow>(
    string Entity, string FileName, ExportFormat Format, bool Bom, IReadOnlyList<ExportColumn<TRow>> Columns,
    IAsyncEnumerable<IReadOnlyList<TRow>> Rows, ExportRequest Request, Func<TRow, VCardContact>? Card = null);

/// <summary>
/// Streams list records out as CSV, Excel or vCard. Rows come chunk by chunk from the database and leave as they come
/// (an xlsx is a zip that MiniExcel can only write to a seekable stream, so it goes through a temporary file first);
/// every text cell is neutralized against formula injection; one audit entry records the export.
/// </summary>
public sealed class RecordExport(RapportDbContext db)
{
    /// <summary>Rows per database query.</summary>
    public const int ChunkSize = 1000;

    public const string MultiValueSeparator = "; ";

    /// <summary>Exporting needs both reading and exporting the entity type (the role's <c>export</c> level).</summary>
    public static async Task<bool> AllowedAsync(IAccessControl access, string entity, CancellationToken ct) =>
        await access.LevelAsync(entity, AccessAction.Read, ct) > AccessLevel.None
        && await access.LevelAsync(entity, AccessAction.Export, ct) > AccessLevel.None;

    /// <returns>The format, or null when <paramref name="format"/> is none of those allowed.</returns>
    public static ExportFormat? Format(string? format, bool vcard) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "csv" => ExportFormat.Csv,
        "xlsx" => ExportFormat.Xlsx,
        "vcf" when vcard => ExportFormat.VCard,
        _ => null,
    };

    /// <summary>
    /// The columns asked for (a comma list of names), or <paramref name="defaults"/>; a hidden column counts as unknown.
    /// </summary>
    /// <returns>The columns, or the error naming the first unknown one.</returns>
    public static (IReadOnlyList<ExportColumn<TRow>> Columns, string? Error) Columns<TRow>(
        IReadOnlyList<ExportColumn<TRow>> available, string? requested, IEnumerable<string> defaults, FieldPolicy policy)
    {
        var visible = available.Where(c => !policy.IsHidden(c.AccessField)).ToList();
        if (string.IsNullOrWhiteSpace(requested))
        {
            return ([.. defaults.Select(d => visible.FirstOrDefault(c => c.Name == d)).OfType<ExportColumn<TRow>>()], null);
        }

        var chosen = new List<ExportColumn<TRow>>();
        foreach (var name in requested.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal))
        {
            if (visible.FirstOrDefault(c => c.Name == name) is not { } column)
            {
                var shown = name.Length > 40 ? name[..40] : name;
                return ([], $"There is no column \"{shown}\". Columns: {string.Join(", ", visible.Select(c => c.Name))}.");
            }

            chosen.Add(column);
        }

        return (chosen, null);
    }

    /// <summary>The workspace's custom fields as columns <c>custom.key</c>: numbers, yes/no and dates keep their type, a multi select lists its option keys.</summary>
    public static IEnumerable<ExportColumn<TRow>> CustomColumns<TRow>(CustomFieldSet custom, Func<TRow, IReadOnlyDictionary<string, JsonElement>> values) =>
        custom.Fields.Select(f => new ExportColumn<TRow>(CustomFieldSet.Prefix + f.Key, row => values(row).TryGetValue(f.Key, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetDecimal(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Array => value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ToString()).ToList(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.ToString(),
        } : null));

    /// <summary>
    /// <c>e =&gt; new TRow { … }</c> with just the properties named, each read from the entity's property of the same name
    /// or, when <paramref name="computed"/> has one for it, from that expression: what an export's page query selects.
    /// </summary>
    public static Expression<Func<T, TRow>> Projection<T, TRow>(IEnumerable<string> reads, IReadOnlyDictionary<string, LambdaExpression>? computed = null)
        where TRow : new()
    {
        var entity = Expression.Parameter(typeof(T), "e");
        var bindings = reads.Distinct().Select(name => Expression.Bind(typeof(TRow).GetProperty(name)!,
            computed?.GetValueOrDefault(name) is { } expression ? FilterCompiler.Rebind(expression, entity) : Expression.Property(entity, name)));
        return Expression.Lambda<Func<T, TRow>>(Expression.MemberInit(Expression.New(typeof(TRow)), bindings), entity);
    }

    /// <summary>The export columns of the list's columns shown by default.</summary>
    public static IEnumerable<string> DefaultColumns(IEnumerable<ViewColumn> columns) => columns.Where(c => c.ShownByDefault).SelectMany(c => c.ExportColumns);

    /// <summary>
    /// Reads the first chunk now — so a bad filter or sort is a 400 before anything is sent — and returns the result
    /// that streams the rest and writes the audit entry.
    /// </summary>
    public async Task<IResult> StartAsync<TRow>(ExportPlan<TRow> plan, CancellationToken ct)
    {
        var rows = plan.Rows.GetAsyncEnumerator(ct);
        try
        {
            var first = await rows.MoveNextAsync() ? rows.Current : null;
            return new Download<TRow>(this, plan, rows, first);
        }
        catch
        {
            await rows.DisposeAsync();
            throw;
        }
    }

    private async Task AuditAsync<TRow>(ExportPlan<TRow> plan, int rows, bool complete)
    {
        db.AddJobAudit(AuditActions.Export, plan.Entity, Ids.NewV7(), new Dictionary<string, object?>
        {
            ["format"] = plan.Format.ToString().ToLowerInvariant(),
            ["filter"] = plan.Request.Filter,
            ["sort"] = plan.Request.Sort,
            ["columns"] = plan.Format == ExportFormat.VCard ? null : string.Join(",", plan.Columns.Select(c => c.Name)),
            ["rows"] = rows,
            ["complete"] = complete,
        });
        await db.SaveChangesAsync(CancellationToken.None); // recorded even when the download was broken off
    }

    private sealed class Download<TRow>(RecordExport export, ExportPlan<TRow> plan, IAsyncEnumerator<IReadOnlyList<TRow>> rows, IReadOnlyList<TRow>? first) : IResult
    {
        private int _count;

        public async Task ExecuteAsync(HttpContext http)
        {
            var (contentType, extension) = plan.Format switch
            {
                ExportFormat.Xlsx => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
                ExportFormat.VCard => ("text/vcard; charset=utf-8", "vcf"),
                _ => ("text/csv; charset=utf-8", "csv"),
            };
            http.Response.ContentType = contentType;
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
            {
                FileNameStar = $"{plan.FileName}.{extension}",
                FileName = $"{plan.FileName}.{extension}",
            }.ToString();
            var ct = http.RequestAborted;
            var complete = false;
            try
            {
                await (plan.Format switch
                {
                    ExportFormat.Xlsx => WriteXlsxAsync(http.Response, ct),
                    ExportFormat.VCard => WriteTextAsync(http.Response.Body, false, WriteCards, ct),
                    _ => WriteTextAsync(http.Response.Body, plan.Bom, WriteCsv, ct),
                });
                complete = true;
            }
            finally
            {
                await rows.DisposeAsync();
                await export.AuditAsync(plan, _count, complete);
            }
        }

        /// <summary>Every chunk: the first, read before the response started, then the rest as they come.</summary>
        private async IAsyncEnumerable<IReadOnlyList<TRow>> ChunksAsync()
        {
            if (first is null)
            {
                yield break;
            }

            yield return first;
            while (await rows.MoveNextAsync())
            {
                yield return rows.Current;
            }
        }

        private async Task WriteTextAsync(Stream body, bool bom, Action<StringBuilder, IReadOnlyList<TRow>?> write, CancellationToken ct)
        {
            await using var writer = new StreamWriter(body, new UTF8Encoding(bom), 1 << 16, leaveOpen: true);
            var text = new StringBuilder();
            write(text, null);
            await foreach (var chunk in ChunksAsync().WithCancellation(ct))
            {
                write(text, chunk);
                await writer.WriteAsync(text, ct);
                await writer.FlushAsync(ct);
                text.Clear();
                _count += chunk.Count;
            }

            await writer.WriteAsync(text, ct); // a header without rows
            await writer.FlushAsync(ct);
        }

        /// <summary>The header (chunk null), then one line per row.</summary>
        private void WriteCsv(StringBuilder csv, IReadOnlyList<TRow>? chunk)
        {
            if (chunk is null)
            {
                CsvLine.Append(csv, plan.Columns.Select(c => c.Name));
                return;
            }

            var cells = new string?[plan.Columns.Count];
            foreach (var row in chunk)
            {
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i] = Text(plan.Columns[i].Value(row));
                }

                CsvLine.Append(csv, cells);
            }
        }

        private void WriteCards(StringBuilder vcf, IReadOnlyList<TRow>? chunk)
        {
            if (chunk is not null)
            {
                using var writer = new StringWriter(vcf, CultureInfo.InvariantCulture);
                VCard.Write(writer, chunk.Select(plan.Card!));
            }
        }

        private async Task WriteXlsxAsync(HttpResponse response, CancellationToken ct)
        {
            var path = Path.Combine(Path.GetTempPath(), $"rapport-export-{Guid.NewGuid():N}.xlsx");
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
                FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            // The header is written as the first row, so an export without rows still names its columns.
            await MiniExcel.SaveAsAsync(file, SheetRowsAsync(ct), printHeader: false,
                configuration: new OpenXmlConfiguration { EnableAutoWidth = false, FastMode = false }, cancellationToken: ct);
            response.ContentLength = file.Length;
            file.Position = 0;
            await file.CopyToAsync(response.Body, ct);
        }

        private async IAsyncEnumerable<IDictionary<string, object?>> SheetRowsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            yield return plan.Columns.ToDictionary(c => c.Name, object? (c) => c.Name);
            await foreach (var chunk in ChunksAsync().WithCancellation(ct))
            {
                foreach (var row in chunk)
                {
                    yield return plan.Columns.ToDictionary(c => c.Name, c => Cell(c.Value(row)));
                }

                _count += chunk.Count;
            }
        }
    }

    /// <summary>A value as CSV text: invariant numbers and ISO dates, several values joined by "; ", text neutralized.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => SpreadsheetCells.Neutralize(s),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        decimal m => m.ToString("0.############################", CultureInfo.InvariantCulture), // the value, not the column's scale (1250.5, not 1250.5000)
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<string> many => SpreadsheetCells.Neutralize(string.Join(MultiValueSeparator, many)),
        _ => SpreadsheetCells.Neutralize(value.ToString()),
    };

    /// <summary>A value as an Excel cell: numbers, dates and yes/no keep their type; text is neutralized like CSV's.</summary>
    private static object? Cell(object? value) => value switch
    {
        null => null,
        decimal or int or long or double or bool => value,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset t => t.UtcDateTime,
        _ => Text(value),
    };
}
