using System.Globalization;
using System.Xml;
using MiniExcelLibs;

namespace Rapport.Kernel.Transfer;

/// <summary>
/// The first worksheet of an XLSX workbook through MiniExcel's lazy <c>Query</c>: one row in memory at a time (large
/// shared-string tables spill to MiniExcel's disk cache). MiniExcel yields every sheet row from row 1, blank rows and
/// rows the file leaves out included, so the position in the sequence is the sheet's row number. Cells become
/// invariant text: whole numbers without exponent (phone numbers), dates as <c>yyyy-MM-dd</c> or
/// <c>yyyy-MM-ddTHH:mm:ss</c>, booleans as <c>true</c>/<c>false</c>.
/// </summary>
internal sealed class XlsxRows : TabularRows
{
    private readonly Stream stream;
    private readonly long start;
    private readonly IEnumerator<object> sheet;
    private string[] cells = [];
    private int count;
    private long row;
    private long furthest;
    private bool ended;
    private bool peeked;

    private XlsxRows(Stream stream, long start, IEnumerator<object> sheet)
    {
        this.stream = stream;
        this.start = start;
        this.sheet = sheet;
        TotalBytes = stream.Length - start;
    }

    public static XlsxRows Open(Stream stream)
    {
        var start = stream.Position;
        IEnumerator<object>? sheet = null;
        try
        {
            sheet = MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).GetEnumerator();
            var rows = new XlsxRows(stream, start, sheet);
            // Reading the first row here reports a file that is no workbook at once, and gives the width of the sheet.
            rows.peeked = rows.Advance();
            return rows;
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or InvalidOperationException or NotSupportedException or IOException)
        {
            sheet?.Dispose();
            throw new TabularFileException(TabularFileError.NotAWorkbook, "This file is not an Excel workbook (.xlsx) or it is damaged. Save it again from Excel as .xlsx or as CSV.", inner: e);
        }
    }

    public override int ExpectedWidth => row == 1 ? count : 0;

    public override long RowNumber => row;

    public override int Count => count;

    public override string this[int index] => cells[index];

    public override long BytesRead => ended ? TotalBytes : furthest;

    public override long TotalBytes { get; }

    public override bool Next()
    {
        if (peeked)
        {
            peeked = false;
            return !ended;
        }

        try
        {
            return Advance();
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or InvalidOperationException or FormatException)
        {
            throw new TabularFileException(TabularFileError.Malformed, $"Row {row + 1} of the worksheet cannot be read: {e.Message}", row + 1, e);
        }
    }

    public override void Dispose() => sheet.Dispose();

    private bool Advance()
    {
        if (ended || !sheet.MoveNext())
        {
            ended = true;
            count = 0;
            return false;
        }

        row++;
        furthest = Math.Max(furthest, Math.Clamp(stream.Position - start, 0, TotalBytes));
        var values = (IDictionary<string, object?>)sheet.Current;
        count = values.Count;
        if (cells.Length < count)
        {
            cells = new string[count];
        }

        var i = 0;
        foreach (var value in values.Values)
        {
            cells[i++] = Text(value);
        }

        return true;
    }

    internal static string Text(object? value) => value switch
    {
        null => "",
        string s => s.Trim(),
        double d => Number(d),
        float f => Number(f),
        DateTime t => t.TimeOfDay == TimeSpan.Zero
            ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable other => other.ToString(null, CultureInfo.InvariantCulture).Trim(),
        _ => value.ToString()?.Trim() ?? "",
    };

    /// <summary>Shortest round-trip text, without the exponent .NET uses from 1E+15 up (a phone number stored as a number).</summary>
    private static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('E', StringComparison.Ordinal) || double.IsInfinity(value))
        {
            return text;
        }

        // Doubles from 2^53 up are whole numbers, so the decimal conversion only meets small fractions like 1E-05.
        return Math.Floor(value) == value
            ? value.ToString("F0", CultureInfo.InvariantCulture)
            : ((decimal)value).ToString(CultureInfo.InvariantCulture);
    }
}
