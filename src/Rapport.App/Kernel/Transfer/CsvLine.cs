using System.Text;

namespace Rapport.Kernel.Transfer;

/// <summary>Writes CSV rows as RFC 4180 has them: comma-separated, CRLF-ended, fields quoted when they hold a comma, quote or line break.</summary>
public static class CsvLine
{
    public static void Append(StringBuilder csv, IEnumerable<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(fields);
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                csv.Append(',');
            }

            first = false;
            if (string.IsNullOrEmpty(field))
            {
                continue;
            }

            if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                csv.Append(field);
                continue;
            }

            csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }

        csv.Append("\r\n");
    }
}
