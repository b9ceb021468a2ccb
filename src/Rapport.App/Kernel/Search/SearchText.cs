using System.Globalization;
using System.Text;
using PhoneNumbers;

namespace Rapport.Kernel.Search;

/// <summary>How the values of a searchable field become search text.</summary>
public enum SearchFieldKind
{
    /// <summary>Names, titles, tags: words lower-cased, Chinese (CJK) runs as overlapping bigrams plus single characters.</summary>
    Text,
    /// <summary>Email addresses: the parts, the domain on its own, and the local part without its dots.</summary>
    Email,
    /// <summary>Domains and website addresses: the host's parts, with and without <c>www.</c>.</summary>
    Domain,
    /// <summary>Phone numbers: digits in E.164 and national forms, so any way of typing the number matches.</summary>
    Phone,
}

/// <summary>
/// Builds the text the search index holds, the same way on SQLite (FTS5 <c>unicode61</c>) and PostgreSQL
/// (<c>simple</c> full text): space-separated tokens of letters and digits only, so both engines split
/// them alike. Neither engine can find <c>小明</c> inside <c>王小明</c> on its own (TOOLCHAIN.md), so a
/// Chinese run is written as its overlapping bigrams followed by its single characters:
/// <c>王小明</c> → <c>王小 小明 ~ 王 小 明</c>. A value may have several forms (a phone number in E.164 and
/// national digits), separated by <c>|</c>; the <c>~</c> and <c>|</c> marks are punctuation to both
/// engines and let <see cref="Quality"/> rank exact and prefix matches above substrings.
/// </summary>
public static class SearchText
{
    public const int MaxLength = 8000;
    private const string FormSeparator = " | ";
    private const string SinglesSeparator = " ~ ";
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>The index text of one field's values, or an empty string when they hold nothing searchable.</summary>
    public static string Build(SearchFieldKind kind, IEnumerable<string?> values, string? defaultCountry = null)
    {
        var forms = new List<string>();
        var length = 0;
        foreach (var value in values.Where(v => !string.IsNullOrWhiteSpace(v)))
        {
            foreach (var form in Forms(kind, value!, defaultCountry).Select(FormText).Where(f => f.Length > 0))
            {
                if (!forms.Contains(form) && length + form.Length + FormSeparator.Length <= MaxLength)
                {
                    forms.Add(form);
                    length += form.Length + FormSeparator.Length;
                }
            }
        }

        return string.Join(FormSeparator, forms);
    }

    /// <summary>A value's forms, each a list of segments (a word or a whole CJK run).</summary>
    private static IEnumerable<List<string>> Forms(SearchFieldKind kind, string value, string? defaultCountry)
    {
        switch (kind)
        {
            case SearchFieldKind.Email:
                var email = Normalize(value);
                yield return Segments(email);
                var at = email.LastIndexOf('@');
                if (at > 0)
                {
                    yield return Segments(email[(at + 1)..]);
                    var local = Segments(email[..at]);
                    if (local.Count > 1)
                    {
                        yield return [string.Concat(local)];
                    }
                }

                break;
            case SearchFieldKind.Domain:
                var host = Host(Normalize(value));
                yield return Segments(host);
                if (host.StartsWith("www.", StringComparison.Ordinal))
                {
                    yield return Segments(host[4..]);
                }

                break;
            case SearchFieldKind.Phone:
                foreach (var digits in PhoneDigits(value, defaultCountry))
                {
                    yield return [digits];
                }

                break;
            default:
                yield return Segments(Normalize(value));
                break;
        }
    }

    /// <summary>The number as digits: E.164, national format, national significant number and, for geographic numbers, without the area code.</summary>
    private static IEnumerable<string> PhoneDigits(string value, string? defaultCountry)
    {
        var typed = Digits(value);
        if (typed.Length == 0)
        {
            yield break;
        }

        PhoneNumber? number = null;
        try
        {
            number = Phones.Parse(value, value.TrimStart().StartsWith('+') ? null : defaultCountry ?? "ZZ");
        }
        catch (NumberParseException)
        {
            // not a number libphonenumber understands: its digits as typed are all we index
        }

        if (number is null || !Phones.IsPossibleNumber(number))
        {
            yield return typed;
            yield break;
        }

        yield return Digits(Phones.Format(number, PhoneNumberFormat.E164));
        yield return Digits(Phones.Format(number, PhoneNumberFormat.NATIONAL));
        var national = Phones.GetNationalSignificantNumber(number);
        yield return national;
        var areaCode = Phones.GetLengthOfGeographicalAreaCode(number);
        if (areaCode > 0 && areaCode < national.Length)
        {
            yield return national[areaCode..];
        }

        yield return typed;
    }

    private static string Digits(string value) => string.Concat(value.Where(char.IsAsciiDigit));

    private static string Host(string value)
    {
        var host = value.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var end = host.IndexOfAny(['/', '?', '#']);
        host = end >= 0 ? host[..end] : host;
        var at = host.LastIndexOf('@');
        host = at >= 0 ? host[(at + 1)..] : host;
        var port = host.LastIndexOf(':');
        return port >= 0 ? host[..port] : host;
    }

    /// <summary>The form as index text: its sequence of tokens, then the single characters of its CJK runs.</summary>
    private static string FormText(List<string> segments)
    {
        var sequence = new List<string>();
        var singles = new List<string>();
        foreach (var segment in segments)
        {
            if (!IsCjk(segment))
            {
                sequence.Add(segment);
                continue;
            }

            var runes = Runes(segment);
            if (runes.Count == 1)
            {
                sequence.Add(segment);
                continue;
            }

            sequence.AddRange(Bigrams(runes));
            singles.AddRange(runes);
        }

        return sequence.Count == 0 ? "" : singles.Count == 0 ? string.Join(' ', sequence) : string.Join(' ', sequence) + SinglesSeparator + string.Join(' ', singles);
    }

    private static IEnumerable<string> Bigrams(List<string> runes) => runes.Zip(runes.Skip(1), (a, b) => a + b);

    /// <summary>NFKC (full-width letters and digits become plain ones), lower case, accents removed.</summary>
    public static string Normalize(string value)
    {
        if (Ascii.IsValid(value))
        {
            return value.ToLowerInvariant(); // plain ASCII: already in every normal form, and without accents
        }

        var folded = value.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(folded.Length);
        foreach (var ch in folded.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark))
        {
            builder.Append(ch);
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Splits normalized text into words (letters and digits) and CJK runs; everything else separates.</summary>
    public static List<string> Segments(string normalized)
    {
        if (Ascii.IsValid(normalized))
        {
            return AsciiSegments(normalized);
        }

        var segments = new List<string>();
        var current = new StringBuilder();
        bool? cjk = null;
        foreach (var rune in normalized.EnumerateRunes())
        {
            bool? kind = IsCjk(rune) ? true : Rune.IsLetterOrDigit(rune) ? false : null;
            if (kind != cjk && current.Length > 0)
            {
                segments.Add(current.ToString());
                current.Clear();
            }

            cjk = kind;
            if (kind is not null)
            {
                current.Append(rune.ToString());
            }
        }

        if (current.Length > 0)
        {
            segments.Add(current.ToString());
        }

        return segments;
    }

    /// <summary><see cref="Segments"/> of ASCII text, without decoding runes: its words of letters and digits.</summary>
    private static List<string> AsciiSegments(string text)
    {
        var segments = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var word = i < text.Length && char.IsAsciiLetterOrDigit(text[i]);
            if (word && start < 0)
            {
                start = i;
            }
            else if (!word && start >= 0)
            {
                segments.Add(text[start..i]);
                start = -1;
            }
        }

        return segments;
    }

    private static List<string> Runes(string text) => [.. text.EnumerateRunes().Select(r => r.ToString())];

    private static bool IsCjk(string segment) => segment.EnumerateRunes().FirstOrDefault() is var first && IsCjk(first);

    /// <summary>Han, kana, Hangul and bopomofo: scripts written without spaces, searched by bigrams.</summary>
    public static bool IsCjk(Rune rune) => rune.Value is
        (>= 0x3005 and <= 0x3007) or (>= 0x3040 and <= 0x30FF) or (>= 0x3100 and <= 0x312F) or (>= 0x3130 and <= 0x318F)
        or (>= 0x31A0 and <= 0x31FF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xAC00 and <= 0xD7AF)
        or (>= 0x1100 and <= 0x11FF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF);

    /// <summary>
    /// How well an index row's text matches the query: 4 a form equals it, 3 a form starts with it,
    /// 2 a word in a form starts with it, 1 a form contains it, 0 the tokens match only apart.
    /// </summary>
    public static int Quality(string text, SearchQuery query)
    {
        var best = 0;
        foreach (var form in text.Split(FormSeparator))
        {
            var compact = Compact(form);
            var quality = compact == query.Compact ? 4
                : compact.StartsWith(query.Compact, StringComparison.Ordinal) ? 3
                : compact.Contains(" " + query.Compact, StringComparison.Ordinal) ? 2
                : compact.Contains(query.Compact, StringComparison.Ordinal) ? 1 : 0;
            best = Math.Max(best, quality);
        }

        return best;
    }

    /// <summary>A form's token sequence back as words and whole CJK runs (<c>王小 小明</c> → <c>王小明</c>).</summary>
    private static string Compact(string form)
    {
        var sequence = form.Split(SinglesSeparator)[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var words = new List<string>();
        string? previous = null;
        foreach (var token in sequence)
        {
            var runes = Runes(token);
            if (previous is not null && IsCjk(token) && runes.Count == 2 && Runes(previous) is [_, var last] && IsCjk(previous) && last == runes[0])
            {
                words[^1] += runes[1];
            }
            else
            {
                words.Add(token);
            }

            previous = token;
        }

        return string.Join(' ', words);
    }

    /// <summary>Segments joined as <see cref="Quality"/> compares them.</summary>
    internal static string CompactOf(IEnumerable<string> segments) => string.Join(' ', segments);

    internal static IEnumerable<string> BigramsOf(string cjkRun) => Bigrams(Runes(cjkRun));

    internal static int RuneCount(string text) => text.EnumerateRunes().Count();
}
