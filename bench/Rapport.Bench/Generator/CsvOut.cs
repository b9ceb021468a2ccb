using System.Text;

namespace Rapport.Bench.Generator;

/// <summary>
/// Writes RFC 4180 CSV (UTF-8 without a byte order mark): a field is quoted when it holds a comma, quote or line break.
/// A null is an empty unquoted field, which PostgreSQL's CSV COPY reads as NULL (sqlite3 <c>.import</c> as an empty string).
/// </summary>
public sealed class CsvOut : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly string _newLine;
    private bool _first = true;

    public CsvOut(string path, string newLine = "\n")
    {
        _writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        _newLine = newLine;
    }

    public long Rows { get; private set; }

    public CsvOut Field(string? value)
    {
        if (!_first)
        {
            _writer.Write(',');
        }

        _first = false;
        if (value is null)
        {
            return this;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            _writer.Write('"');
            _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            _writer.Write('"');
        }
        else
        {
            _writer.Write(value);
        }

        return this;
    }

    public void Row(params string?[] fields)
    {
        foreach (var field in fields)
        {
            Field(field);
        }

        EndRow();
    }

    public void EndRow()
    {
        _writer.Write(_newLine);
        _first = true;
        Rows++;
    }

    public void Dispose() => _writer.Dispose();
}
