using System.Text;

namespace Rapport.Kernel.Transfer;

/// <summary>An encoding with the name Rapport reports for it and the length of the byte order mark to skip.</summary>
internal sealed record TextEncoding(string Name, Encoding Encoding, int PreambleLength = 0);

/// <summary>
/// Guesses how a text file was written from a sample of its first bytes: the encoding (a byte order mark, else strict
/// UTF-8, else GB18030 as Chinese Excel saves "CSV", else Windows-1252) and the delimiter (the candidate counted outside
/// quotes the same number of times on the most lines).
/// </summary>
internal static class TextSniffer
{
    public const int SampleBytes = 64 * 1024;
    private const int SampleRecords = 100;
    private static readonly char[] Delimiters = [',', ';', '\t', '|'];

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> Utf16LeBom => [0xFF, 0xFE];

    private static ReadOnlySpan<byte> Utf16BeBom => [0xFE, 0xFF];

    public static TextEncoding DetectEncoding(ReadOnlySpan<byte> sample, bool complete)
    {
        if (sample.StartsWith(Utf8Bom))
        {
            return Utf8(3);
        }

        if (sample.StartsWith(Utf16LeBom))
        {
            return Utf16(bigEndian: false, 2);
        }

        if (sample.StartsWith(Utf16BeBom))
        {
            return Utf16(bigEndian: true, 2);
        }

        if (Utf16Order(sample) is { } bigEndian)
        {
            return Utf16(bigEndian, 0);
        }

        if (System.Text.Unicode.Utf8.IsValid(complete ? sample : sample[..WholeUtf8Length(sample)]))
        {
            return Utf8(0);
        }

        return IsValid(Gb18030(DecoderFallback.ExceptionFallback), sample, complete)
            ? new TextEncoding("gb18030", Gb18030(DecoderFallback.ReplacementFallback))
            : new TextEncoding("windows-1252", Encoding.GetEncoding(1252));
    }

    /// <summary>An encoding the user chose; a byte order mark of that same encoding is still skipped.</summary>
    public static TextEncoding ResolveEncoding(string name, ReadOnlySpan<byte> sample)
    {
        switch (name.Trim().ToUpperInvariant())
        {
            case "UTF-8" or "UTF8":
                return Utf8(sample.StartsWith(Utf8Bom) ? 3 : 0);
            case "UTF-16" or "UTF16" or "UTF-16LE" or "UNICODE":
                return sample.StartsWith(Utf16BeBom) ? Utf16(bigEndian: true, 2) : Utf16(bigEndian: false, sample.StartsWith(Utf16LeBom) ? 2 : 0);
            case "UTF-16BE":
                return Utf16(bigEndian: true, sample.StartsWith(Utf16BeBom) ? 2 : 0);
            case "GB18030":
                return new TextEncoding("gb18030", Gb18030(DecoderFallback.ReplacementFallback));
            case "GBK" or "GB2312" or "CP936":
                return new TextEncoding("gbk", Encoding.GetEncoding(936));
            case "BIG5":
                return new TextEncoding("big5", Encoding.GetEncoding(950));
            case "WINDOWS-1252" or "CP1252":
                return new TextEncoding("windows-1252", Encoding.GetEncoding(1252));
            default:
                try
                {
                    return new TextEncoding(name.Trim().ToLowerInvariant(), Encoding.GetEncoding(name.Trim()));
                }
                catch (ArgumentException e)
                {
                    throw new TabularFileException(TabularFileError.UnknownEncoding, $"The encoding \"{name}\" is not known. Choose UTF-8, GBK/GB18030, UTF-16, Big5 or Windows-1252.", inner: e);
                }
        }
    }

    /// <summary>The delimiter (the one chosen, else the most consistent candidate, else a comma) and the widest record
    /// seen in the sample's first lines. A sample cut short loses its last, possibly partial, record.</summary>
    public static (char Delimiter, int Width) DetectDelimiter(string text, bool complete, char? chosen)
    {
        char[] candidates = chosen is { } c ? [c] : Delimiters;
        var counts = candidates.Select(_ => new List<int>()).ToArray();
        var current = new int[candidates.Length];
        var inQuotes = false;
        var blank = true;
        var records = 0;
        for (var i = 0; i < text.Length && records < SampleRecords; i++)
        {
            var ch = text[i];
            if (ch == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && ch is '\r' or '\n')
            {
                EndRecord();
                continue;
            }
            else if (!inQuotes && Array.IndexOf(candidates, ch) is var index and >= 0)
            {
                current[index]++;
            }

            blank &= char.IsWhiteSpace(ch);
        }

        if (complete)
        {
            EndRecord();
        }

        var best = -1;
        (int Consistent, int Mode) bestScore = (0, 0);
        for (var d = 0; d < candidates.Length; d++)
        {
            var mode = counts[d].GroupBy(n => n).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).FirstOrDefault();
            if (mode is null || mode.Key == 0)
            {
                continue;
            }

            (int, int) score = (mode.Count(), mode.Key);
            if (best < 0 || score.CompareTo(bestScore) > 0)
            {
                (best, bestScore) = (d, score);
            }
        }

        var delimiter = best >= 0 ? candidates[best] : candidates[0];
        var width = best >= 0 ? counts[best].Max() + 1 : counts[0].Count > 0 ? 1 : 0;
        return (delimiter, width);

        void EndRecord()
        {
            if (!blank)
            {
                for (var d = 0; d < candidates.Length; d++)
                {
                    counts[d].Add(current[d]);
                }

                records++;
            }

            Array.Clear(current);
            blank = true;
        }
    }

    /// <summary>The delimiter named by Excel's <c>sep=;</c> first line, when the text starts with one.</summary>
    public static char? ExcelSeparatorLine(string text) =>
        text.Length >= 5 && text.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && (text.Length == 5 || text[5] is '\r' or '\n')
            ? text[4]
            : null;

    /// <summary>Whether the first bytes of a file look like text in some encoding (no stray control bytes).</summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(Utf16LeBom) || head.StartsWith(Utf16BeBom) || Utf16Order(head) is not null)
        {
            return true;
        }

        var control = 0;
        foreach (var b in head)
        {
            if (b == 0)
            {
                return false;
            }

            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1A))
            {
                control++;
            }
        }

        return control * 100 <= head.Length;
    }

    /// <summary>Whether text begins like a web page, an XML file, a vCard or a PDF rather than delimited data.</summary>
    public static bool LooksLikeMarkup(ReadOnlySpan<byte> head)
    {
        var text = head.StartsWith(Utf8Bom) ? head[3..] : head;
        text = text.TrimStart(" \t\r\n"u8);
        return text.StartsWith("<"u8) || text.StartsWith("%PDF"u8)
            || (text.Length >= 11 && Encoding.ASCII.GetString(text[..11]).Equals("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase));
    }

    private static TextEncoding Utf8(int preamble) => new("utf-8", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), preamble);

    private static TextEncoding Utf16(bool bigEndian, int preamble) =>
        new(bigEndian ? "utf-16be" : "utf-16", new UnicodeEncoding(bigEndian, byteOrderMark: false), preamble);

    private static Encoding Gb18030(DecoderFallback fallback) => Encoding.GetEncoding(54936, EncoderFallback.ReplacementFallback, fallback);

    /// <summary>UTF-16 without a byte order mark: mostly-Latin text has a zero in every other byte.</summary>
    private static bool? Utf16Order(ReadOnlySpan<byte> sample)
    {
        var pairs = Math.Min(sample.Length, 4096) / 2;
        if (pairs < 2)
        {
            return null;
        }

        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i < pairs * 2; i += 2)
        {
            evenZeros += sample[i] == 0 ? 1 : 0;
            oddZeros += sample[i + 1] == 0 ? 1 : 0;
        }

        return oddZeros * 10 > pairs * 4 && evenZeros * 20 < pairs ? false
            : evenZeros * 10 > pairs * 4 && oddZeros * 20 < pairs ? true
            : null;
    }

    /// <summary>The sample's length without a UTF-8 sequence cut off at its end.</summary>
    private static int WholeUtf8Length(ReadOnlySpan<byte> sample)
    {
        for (var back = 1; back <= Math.Min(3, sample.Length); back++)
        {
            var b = sample[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? sample.Length - back : sample.Length;
        }

        return sample.Length;
    }

    private static bool IsValid(Encoding strict, ReadOnlySpan<byte> sample, bool complete)
    {
        try
        {
            strict.GetDecoder().GetCharCount(sample, flush: complete);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
