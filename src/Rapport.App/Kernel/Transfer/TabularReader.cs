using System.Text;

namespace Rapport.Kernel.Transfer;

/// <summary>The spreadsheet-like file kinds an import reads row by row.</summary>
public enum TabularFormat
{
    /// <summary>Delimited text (<c>.csv</c>, <c>.tsv</c>, <c>.txt</c>): RFC 4180 quoting, any common delimiter and encoding.</summary>
    Csv,
    /// <summary>An Excel workbook (<c>.xlsx</c>); its first worksheet is read.</summary>
    Xlsx,
}

/// <summary>How to read a file; every choice left <c>null</c> is detected.</summary>
/// <param name="Encoding">CSV only: <c>utf-8</c>, <c>gb18030</c>, <c>gbk</c>, <c>utf-16</c> (<c>utf-16be</c>),
/// <c>big5</c>, <c>windows-1252</c> or another name .NET knows (case-insensitive); <c>null</c> detects it.</param>
/// <param name="Delimiter">CSV only: the field delimiter; <c>null</c> detects one of <c>, ; \t |</c>.</param>
/// <param name="HasHeaderRow">Whether the first non-empty row names the columns; without one they are "Column 1", "Column 2"….</param>
public sealed record TabularOptions(string? Encoding = null, char? Delimiter = null, bool HasHeaderRow = true);

/// <summary>Why a file cannot be read, for the caller to show in the user's language.</summary>
public enum TabularFileError
{
    /// <summary>The file has no non-empty row (not even a header).</summary>
    Empty,
    /// <summary>The encoding name given is not one .NET knows.</summary>
    UnknownEncoding,
    /// <summary>The file is not an Excel workbook (.xlsx), or the workbook is damaged.</summary>
    NotAWorkbook,
    /// <summary>One row is larger than <see cref="TabularReader.MaxRowChars"/> characters (usually an unclosed quote).</summary>
    RowTooLarge,
    /// <summary>The text or workbook is malformed at some row.</summary>
    Malformed,
}

/// <summary>A file that cannot be read; the message is written for the user who uploaded it.</summary>
public sealed class TabularFileException : Exception
{
    public TabularFileException(TabularFileError error, string message, long? rowNumber = null, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        RowNumber = rowNumber;
    }

    public TabularFileError Error { get; }

    /// <summary>The file row where reading failed, when there is one.</summary>
    public long? RowNumber { get; }
}

/// <summary>
/// Reads a CSV or XLSX file as a header plus data rows of trimmed strings, streamed with fixed buffers so memory
/// does not grow with the file. Row numbers count every row of the file (blank ones included, the header is row 1
/// when it is the first line), so an import can stop and resume at the same row of the same file.
/// The caller keeps ownership of the stream; disposing the reader leaves it open.
/// </summary>
public sealed class TabularReader : IDisposable
{
    /// <summary>The largest row (in characters) a CSV file may hold: a 1 MB cell is fine, an unclosed quote swallowing
    /// the rest of a big file is reported instead of filling memory.</summary>
    public const int MaxRowChars = 8 * 1024 * 1024;

    private readonly TabularRows rows;
    private string?[] values;

    static TabularReader()
    {
        // GBK, GB18030, Big5 and Windows code pages are absent from .NET until this provider is registered (TOOLCHAIN.md).
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private TabularReader(TabularRows rows, IReadOnlyList<string> headers)
    {
        this.rows = rows;
        Headers = headers;
        values = new string?[headers.Count];
    }

    /// <summary>Opens a file for reading and reads its header row. The stream must be seekable (CSV detection reads
    /// a sample and rewinds); it is read from its current position.</summary>
    /// <exception cref="TabularFileException">The file is empty, not of the format, or the encoding is unknown.</exception>
    public static TabularReader Open(Stream stream, TabularFormat format, TabularOptions? options = null)
    {
        options ??= new TabularOptions();
        TabularRows rows = format == TabularFormat.Xlsx ? XlsxRows.Open(stream) : CsvRows.Open(stream, options);
        try
        {
            var headers = ReadHeaders(rows, options.HasHeaderRow);
            return new TabularReader(rows, headers);
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    /// <summary>The format of an uploaded file from its name and first bytes (say 512), or <c>null</c> when it is neither
    /// (an old binary <c>.xls</c>, a vCard, a PDF…). A zip signature means XLSX; text under any name but a spreadsheet's
    /// or a vCard's means CSV.</summary>
    public static TabularFormat? DetectFormat(string fileName, ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("PK\x03\x04"u8))
        {
            return TabularFormat.Xlsx;
        }

        var extension = Path.GetExtension(fileName).ToUpperInvariant();
        if (extension is ".XLSX" or ".XLSM" or ".XLS" or ".VCF" or ".VCARD" || !TextSniffer.LooksLikeText(head))
        {
            return null;
        }

        return extension is ".CSV" or ".TSV" or ".TXT" or ".TAB" || !TextSniffer.LooksLikeMarkup(head) ? TabularFormat.Csv : null;
    }

    /// <summary>The column names: trimmed, a blank one named after its position ("Column 3"), repeats made unique
    /// ("Email", "Email (2)"). Trailing blank header cells are not columns.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>CSV only: the encoding used, chosen or detected (<c>utf-8</c>, <c>utf-16</c>, <c>gb18030</c>, <c>windows-1252</c>…).</summary>
    public string? DetectedEncoding => rows.Encoding;

    /// <summary>CSV only: the delimiter used, chosen or detected.</summary>
    public char? DetectedDelimiter => rows.Delimiter;

    /// <summary>The file row of the current data row (1-based; a quoted line break does not start a new row).</summary>
    public long RowNumber { get; private set; }

    /// <summary>The current row's cells, one per header: trimmed text, <c>""</c> for a blank cell, <c>null</c> where a
    /// short CSV row has no cell. A fresh list per row, so the caller may keep it.</summary>
    public IReadOnlyList<string?> Values => values;

    /// <summary>Whether the current row had non-blank cells beyond the last column; they are dropped.</summary>
    public bool RaggedExtra { get; private set; }

    /// <summary>Bytes of the file consumed so far, for progress (XLSX: the position in the compressed file, approximate).</summary>
    public long BytesRead => rows.BytesRead;

    public long TotalBytes => rows.TotalBytes;

    /// <summary>Moves to the next data row, skipping rows whose cells are all blank; <c>false</c> at the end.</summary>
    /// <exception cref="TabularFileException">The file is malformed at the row reached.</exception>
    public bool Read()
    {
        while (rows.Next())
        {
            if (IsBlank(rows))
            {
                continue;
            }

            var cells = new string?[Headers.Count];
            var count = Math.Min(rows.Count, cells.Length);
            for (var i = 0; i < count; i++)
            {
                cells[i] = rows[i];
            }

            var extra = false;
            for (var i = count; i < rows.Count && !extra; i++)
            {
                extra = rows[i].Length > 0;
            }

            values = cells;
            RowNumber = rows.RowNumber;
            RaggedExtra = extra;
            return true;
        }

        values = new string?[Headers.Count];
        RaggedExtra = false;
        return false;
    }

    public void Dispose() => rows.Dispose();

    private static IReadOnlyList<string> ReadHeaders(TabularRows rows, bool hasHeaderRow)
    {
        if (!hasHeaderRow)
        {
            var width = rows.ExpectedWidth;
            if (width == 0)
            {
                throw Empty();
            }

            return Enumerable.Range(1, width).Select(ColumnName).ToArray();
        }

        while (rows.Next())
        {
            if (IsBlank(rows))
            {
                continue;
            }

            var width = rows.Count;
            while (rows[width - 1].Length == 0)
            {
                width--;
            }

            var headers = new List<string>(width);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < width; i++)
            {
                var name = rows[i].Length > 0 ? rows[i] : ColumnName(i + 1);
                var unique = name;
                for (var n = 2; !seen.Add(unique); n++)
                {
                    unique = $"{name} ({n})";
                }

                headers.Add(unique);
            }

            return headers;
        }

        throw Empty();
    }

    private static bool IsBlank(TabularRows rows)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static string ColumnName(int position) => $"Column {position}";

    private static TabularFileException Empty() =>
        new(TabularFileError.Empty, "The file is empty: it has no header row and no data.");
}

/// <summary>A file's raw rows, cells trimmed, as the format reader sees them.</summary>
internal abstract class TabularRows : IDisposable
{
    public virtual string? Encoding => null;

    public virtual char? Delimiter => null;

    /// <summary>Without a header row: how many columns the file seems to have (from a sample).</summary>
    public abstract int ExpectedWidth { get; }

    public abstract long RowNumber { get; }

    /// <summary>Cells in the current row.</summary>
    public abstract int Count { get; }

    /// <summary>A cell of the current row, trimmed; <c>""</c> when blank.</summary>
    public abstract string this[int index] { get; }

    public abstract long BytesRead { get; }

    public abstract long TotalBytes { get; }

    public abstract bool Next();

    public abstract void Dispose();
}
