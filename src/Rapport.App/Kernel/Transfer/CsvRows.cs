using Sylvan.Data.Csv;

namespace Rapport.Kernel.Transfer;

/// <summary>
/// A CSV file's rows through Sylvan.Data.Csv in lax RFC 4180 mode (a stray quote inside a field is kept as text, as
/// Excel does), with no comment character, fixed buffers and the encoding and delimiter sniffed from the first 64 KB.
/// Excel's own <c>sep=;</c> first line names the delimiter and is no row of data (it still counts as row 1).
/// </summary>
internal sealed class CsvRows : TabularRows
{
    private const int BufferChars = 64 * 1024;
    private readonly Stream stream;
    private readonly long start;
    private readonly TextEncoding encoding;
    private readonly char delimiter;
    private readonly CsvDataReader csv;
    private string[] cells = new string[64];
    private int count;
    private bool ended;
    private bool skipSeparatorLine;

    private CsvRows(Stream stream, long start, TextEncoding encoding, char delimiter, int width)
    {
        this.stream = stream;
        this.start = start;
        this.encoding = encoding;
        this.delimiter = delimiter;
        ExpectedWidth = width;
        TotalBytes = stream.Length - start;
        stream.Position = start + encoding.PreambleLength;
        var text = new StreamReader(stream, encoding.Encoding, detectEncodingFromByteOrderMarks: false, BufferChars, leaveOpen: true);
        csv = CsvDataReader.Create(text, new CsvDataReaderOptions
        {
            HasHeaders = false,
            Delimiter = delimiter,
            Comment = '\0',
            CsvStyle = CsvStyle.Lax,
            BufferSize = BufferChars,
            MaxBufferSize = TabularReader.MaxRowChars,
            OwnsReader = true,
        });
    }

    public static CsvRows Open(Stream stream, TabularOptions options)
    {
        var start = stream.Position;
        var sample = new byte[(int)Math.Min(TextSniffer.SampleBytes, stream.Length - start)];
        stream.ReadExactly(sample);
        var complete = start + sample.Length >= stream.Length;
        var encoding = string.IsNullOrWhiteSpace(options.Encoding)
            ? TextSniffer.DetectEncoding(sample, complete)
            : TextSniffer.ResolveEncoding(options.Encoding, sample);
        var text = encoding.Encoding.GetString(sample, encoding.PreambleLength, sample.Length - encoding.PreambleLength);
        var separator = TextSniffer.ExcelSeparatorLine(text);
        var (delimiter, width) = TextSniffer.DetectDelimiter(
            separator is null ? text : text[Math.Min(text.Length, 6)..], complete, options.Delimiter ?? separator);
        return new CsvRows(stream, start, encoding, delimiter, width) { skipSeparatorLine = separator is not null };
    }

    public override string? Encoding => encoding.Name;

    public override char? Delimiter => delimiter;

    public override int ExpectedWidth { get; }

    public override long RowNumber => csv.RowNumber;

    public override int Count => count;

    public override string this[int index] => cells[index];

    public override long BytesRead => ended ? TotalBytes : Math.Clamp(stream.Position - start, 0, TotalBytes);

    public override long TotalBytes { get; }

    public override bool Next()
    {
        try
        {
            if (ended || !csv.Read() || (skipSeparatorLine && !csv.Read()))
            {
                ended = true;
                count = 0;
                return false;
            }

            skipSeparatorLine = false;
        }
        catch (CsvRecordTooLargeException e)
        {
            throw new TabularFileException(TabularFileError.RowTooLarge,
                $"Row {e.RowNumber} is longer than {TabularReader.MaxRowChars / (1024 * 1024)} million characters; a quote (\") that is never closed usually causes this.",
                e.RowNumber, e);
        }
        catch (CsvFormatException e)
        {
            throw new TabularFileException(TabularFileError.Malformed, $"Row {e.RowNumber} cannot be read: {e.Message}", e.RowNumber, e);
        }

        count = csv.RowFieldCount;
        if (cells.Length < count)
        {
            Array.Resize(ref cells, Math.Max(count, cells.Length * 2));
        }

        for (var i = 0; i < count; i++)
        {
            cells[i] = Clean(csv.GetFieldSpan(i));
        }

        return true;
    }

    public override void Dispose() => csv.Dispose();

    /// <summary>A cell trimmed, with Excel's way of keeping leading zeros (<c>="0123"</c>) unwrapped to its text.</summary>
    internal static string Clean(ReadOnlySpan<char> raw)
    {
        var cell = raw.Trim();
        if (cell.Length >= 3 && cell.StartsWith("=\"") && cell[^1] == '"')
        {
            var inner = cell[2..^1].ToString();
            if (!inner.Replace("\"\"", "", StringComparison.Ordinal).Contains('"', StringComparison.Ordinal))
            {
                return inner.Replace("\"\"", "\"", StringComparison.Ordinal).Trim();
            }
        }

        return cell.Length == 0 ? "" : cell.ToString();
    }
}
