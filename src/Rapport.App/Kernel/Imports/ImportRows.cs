using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

/// <summary>The rows of an import file, whatever its format: a spreadsheet's or a vCard file's (one card a row).</summary>
public static class ImportFormats
{
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";
    public const string VCard = "vcf";
    public static readonly IReadOnlyList<string> All = [Csv, Xlsx, VCard];
}

internal static class ImportRows
{
    public static TabularReader Open(Stream stream, Import import) => Open(stream, import.Format, import.Encoding, import.Delimiter);

    public static TabularReader Open(Stream stream, string format, string? encoding, string? delimiter) => format switch
    {
        ImportFormats.Xlsx => TabularReader.Open(stream, TabularFormat.Xlsx),
        _ => TabularReader.Open(stream, TabularFormat.Csv, new TabularOptions(encoding, delimiter is { Length: > 0 } d ? (d == "\\t" ? '\t' : d[0]) : null)),
    };
}
