using System.Globalization;
using System.Text;

namespace Rapport.Kernel.Transfer;

/// <summary>
/// Reads vCards line by line: unfolds continuation lines, joins quoted-printable soft line breaks, parses
/// group, name, parameters and value, decodes 3.0's <c>ENCODING</c>/<c>CHARSET</c>, and unescapes text.
/// </summary>
internal static class VCardReader
{
    static VCardReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // GB2312/GBK in old Chinese exports

    public static IEnumerable<VCardContact> Read(TextReader reader)
    {
        var lines = new ContentLines(reader);
        VCardFields? card = null;
        var depth = 0;
        while (lines.Next() is { } line)
        {
            if (Property.Parse(line) is not { } property)
            {
                continue;
            }

            if (property.Name == "BEGIN" && property.Raw.Trim().Equals("VCARD", StringComparison.OrdinalIgnoreCase))
            {
                depth++;
                card = depth == 1 ? new VCardFields() : card; // a nested card (2.1's AGENT) is skipped
            }
            else if (property.Name == "END" && property.Raw.Trim().Equals("VCARD", StringComparison.OrdinalIgnoreCase))
            {
                depth = Math.Max(0, depth - 1);
                if (depth == 0 && card is not null)
                {
                    yield return card.Build();
                    card = null;
                }
            }
            else if (depth == 1 && card is not null)
            {
                card.Add(property);
            }
        }
    }

    /// <summary>Logical lines: folded lines joined (RFC 6350 §3.2), and quoted-printable values continued after a trailing <c>=</c>.</summary>
    private sealed class ContentLines(TextReader reader)
    {
        private string? _ahead;

        public string? Next()
        {
            var first = Physical();
            while (first is { Length: 0 })
            {
                first = Physical();
            }

            if (first is null)
            {
                return null;
            }

            var line = new StringBuilder(first);
            var quotedPrintable = IsQuotedPrintable(first);
            while (Physical() is { } next)
            {
                if (quotedPrintable && line.Length > 0 && line[^1] == '=')
                {
                    line.Length--; // a soft line break: the value goes on in the next line, as it is
                    line.Append(next);
                }
                else if (next is [' ' or '\t', ..])
                {
                    line.Append(next, 1, next.Length - 1);
                    quotedPrintable = quotedPrintable || IsQuotedPrintable(line.ToString());
                }
                else
                {
                    _ahead = next;
                    break;
                }
            }

            return line.ToString();
        }

        private string? Physical()
        {
            if (_ahead is { } ahead)
            {
                _ahead = null;
                return ahead;
            }

            return reader.ReadLine();
        }

        private static bool IsQuotedPrintable(string line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && line.AsSpan(0, colon).Contains("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>One content line: <c>[group.]NAME;PARAM=a,b;BARE:value</c> with the value decoded to text but not yet unescaped.</summary>
    internal sealed record Property(string Name, IReadOnlyDictionary<string, List<string>> Parameters, string Raw)
    {
        public bool Has(string parameter, string value) =>
            Parameters.TryGetValue(parameter, out var values) && values.Any(v => v.Equals(value, StringComparison.OrdinalIgnoreCase));

        /// <summary>How preferred the value is, lower first: <c>PREF=1</c>…<c>100</c> (4.0), <c>TYPE=pref</c> (3.0) or a bare <c>PREF</c> (2.1) as 1, none as 101.</summary>
        public int Rank => Parameters.TryGetValue("PREF", out var pref)
            ? int.TryParse(pref.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var rank) ? rank : 1
            : Has("TYPE", "pref") ? 1 : 101;

        public static Property? Parse(string line)
        {
            var colon = -1;
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                if (line[i] == '"')
                {
                    quoted = !quoted;
                }
                else if (line[i] == ':' && !quoted)
                {
                    colon = i;
                    break;
                }
            }

            if (colon <= 0)
            {
                return null;
            }

            var parts = SplitParameters(line[..colon]);
            var name = parts[0];
            name = name[(name.LastIndexOf('.') + 1)..].Trim().ToUpperInvariant(); // item1.EMAIL → EMAIL
            var parameters = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var part in parts.Skip(1))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var (key, values) = equals < 0
                    ? (BareKey(part), part)  // 2.1: TEL;WORK;VOICE, EMAIL;PREF, ;QUOTED-PRINTABLE
                    : (part[..equals].Trim().ToUpperInvariant(), part[(equals + 1)..]);
                if (!parameters.TryGetValue(key, out var list))
                {
                    parameters[key] = list = [];
                }

                list.AddRange(values.Split(',').Select(v => v.Trim().Trim('"')).Where(v => v.Length > 0));
            }

            return new Property(name, parameters, Decode(line[(colon + 1)..], parameters));
        }

        private static string BareKey(string value) => value.Trim().ToUpperInvariant() switch
        {
            "QUOTED-PRINTABLE" or "BASE64" or "B" or "8BIT" or "7BIT" => "ENCODING",
            "PREF" => "PREF",
            _ => "TYPE",
        };

        private static List<string> SplitParameters(string head)
        {
            var parts = new List<string>();
            var start = 0;
            var quoted = false;
            for (var i = 0; i < head.Length; i++)
            {
                if (head[i] == '"')
                {
                    quoted = !quoted;
                }
                else if (head[i] == ';' && !quoted)
                {
                    parts.Add(head[start..i]);
                    start = i + 1;
                }
            }

            parts.Add(head[start..]);
            return parts;
        }

        /// <summary>3.0's encoded values become text in their charset (UTF-8 unless <c>CHARSET</c> names another).</summary>
        private static string Decode(string value, Dictionary<string, List<string>> parameters)
        {
            var encoding = parameters.TryGetValue("ENCODING", out var e) ? e.FirstOrDefault()?.ToUpperInvariant() : null;
            if (encoding is not ("QUOTED-PRINTABLE" or "B" or "BASE64"))
            {
                return value;
            }

            byte[] bytes;
            try
            {
                bytes = encoding == "QUOTED-PRINTABLE" ? QuotedPrintable(value) : Convert.FromBase64String(value.Trim());
            }
            catch (FormatException)
            {
                return value;
            }

            return Charset(parameters).GetString(bytes);
        }

        private static Encoding Charset(Dictionary<string, List<string>> parameters)
        {
            if (parameters.TryGetValue("CHARSET", out var names) && names.FirstOrDefault() is { } name)
            {
                try
                {
                    return Encoding.GetEncoding(name);
                }
                catch (ArgumentException)
                {
                    // An unknown charset: UTF-8 is the best guess.
                }
            }

            return Encoding.UTF8;
        }

        private static byte[] QuotedPrintable(string value)
        {
            var bytes = new List<byte>(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '=' && i + 2 < value.Length && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
                {
                    bytes.Add(b);
                    i += 2;
                }
                else if (value[i] < 0x80)
                {
                    bytes.Add((byte)value[i]);
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
                }
            }

            return [.. bytes];
        }
    }

    /// <summary>Splits at separators no backslash escapes; the parts keep their escapes.</summary>
    internal static List<string> Split(string raw, char separator)
    {
        var parts = new List<string>();
        var part = new StringBuilder();
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length)
            {
                part.Append(raw, i, 2);
                i++;
            }
            else if (raw[i] == separator)
            {
                parts.Add(part.ToString());
                part.Clear();
            }
            else
            {
                part.Append(raw[i]);
            }
        }

        parts.Add(part.ToString());
        return parts;
    }

    internal static string Unescape(string raw)
    {
        if (!raw.Contains('\\', StringComparison.Ordinal))
        {
            return raw;
        }

        var text = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length)
            {
                var next = raw[++i];
                text.Append(next switch
                {
                    'n' or 'N' => "\n",
                    ',' or ';' or '\\' or ':' => next.ToString(),
                    _ => "\\" + next, // not an escape vCard defines: kept as it was
                });
            }
            else
            {
                text.Append(raw[i]);
            }
        }

        return text.ToString();
    }
}
