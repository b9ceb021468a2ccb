using System.Globalization;
using System.Text;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

public static class ImportFormats
{
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";
    public const string VCard = "vcf";
    public static readonly IReadOnlyList<string> All = [Csv, Xlsx, VCard];
}

/// <summary>The rows of an import file, whatever its format: a spreadsheet's, or a vCard file's (one card a row).</summary>
public interface IImportRows : IDisposable
{
    IReadOnlyList<string> Headers { get; }
    string? DetectedEncoding { get; }
    char? DetectedDelimiter { get; }
    /// <summary>The row's number in the file (header = 1), stable when the file is read again, so an import can resume after it.</summary>
    long RowNumber { get; }
    IReadOnlyList<string?> Values { get; }
    long BytesRead { get; }
    long TotalBytes { get; }
    bool Read();
}

internal static class ImportRows
{
    public static IImportRows Open(Stream stream, Import import) => Open(stream, import.Format, import.Encoding, import.Delimiter);

    public static IImportRows Open(Stream stream, string format, string? encoding, string? delimiter) => format switch
    {
        ImportFormats.VCard => new VCardRows(stream),
        ImportFormats.Xlsx => new SpreadsheetRows(TabularReader.Open(stream, TabularFormat.Xlsx)),
        _ => new SpreadsheetRows(TabularReader.Open(stream, TabularFormat.Csv,
            new TabularOptions(encoding, delimiter is { Length: > 0 } d ? (d == "\\t" ? '\t' : d[0]) : null))),
    };

    private sealed class SpreadsheetRows(TabularReader reader) : IImportRows
    {
        public IReadOnlyList<string> Headers => reader.Headers;
        public string? DetectedEncoding => reader.DetectedEncoding;
        public char? DetectedDelimiter => reader.DetectedDelimiter;
        public long RowNumber => reader.RowNumber;
        public IReadOnlyList<string?> Values => reader.Values;
        public long BytesRead => reader.BytesRead;
        public long TotalBytes => reader.TotalBytes;
        public bool Read() => reader.Read();
        public void Dispose() => reader.Dispose();
    }

    /// <summary>
    /// A vCard file (3.0 or 4.0) as rows whose columns are contact field keys, so the suggested mapping is exact.
    /// Several emails, phones and categories share a cell, separated as a list cell is.
    /// </summary>
    private sealed class VCardRows : IImportRows
    {
        /// <summary>Groups address books add to every card (Google's "myContacts"): not the user's tags.</summary>
        private static readonly string[] SystemGroups = ["myContacts", "starred"];
        private readonly Stream _stream;
        private readonly IEnumerator<VCardContact> _cards;
        private string?[] _values = [];

        public VCardRows(Stream stream)
        {
            _stream = stream;
            _cards = VCard.Read(new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true)).GetEnumerator();
        }

        public IReadOnlyList<string> Headers { get; } =
        [
            "firstName", "lastName", "name", "emails", "phones", "company", "jobTitle", "birthday",
            "address.street", "address.city", "address.region", "address.postalCode", "address.country", "tags", "preferredLanguage",
        ];

        public string? DetectedEncoding => "utf-8";
        public char? DetectedDelimiter => null;
        public long RowNumber { get; private set; } = 1;
        public IReadOnlyList<string?> Values => _values;
        public long BytesRead => _stream.Position;
        public long TotalBytes => _stream.Length;

        public bool Read()
        {
            if (!_cards.MoveNext())
            {
                return false;
            }

            RowNumber++;
            var card = _cards.Current;
            _values =
            [
                card.GivenName, card.FamilyName, card.GivenName is null && card.FamilyName is null ? card.FormattedName : null,
                string.Join("; ", card.Emails), string.Join("; ", card.Phones), card.Organization, card.Title,
                card.Birthday?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                card.Street, card.City, card.Region, card.PostalCode, card.Country,
                string.Join("; ", card.Categories.Where(c => !SystemGroups.Contains(c, StringComparer.OrdinalIgnoreCase))), card.Language,
            ];
            return true;
        }

        public void Dispose() => _cards.Dispose();
    }
}
