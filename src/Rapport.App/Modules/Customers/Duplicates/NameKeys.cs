using System.Globalization;
using System.Text;

namespace Rapport.Modules.Customers.Duplicates;

/// <summary>
/// Normalized names for finding duplicates: case, accents, width, punctuation and spacing removed; legal
/// suffixes (Inc, Ltd, GmbH, 有限公司, 股份有限公司…) removed from company names; given and family name in
/// either order. Chinese is compared character by character. Tested in <c>DuplicateTests</c>.
/// </summary>
public static class NameKeys
{
    public const int MaxLength = 200;

    private static readonly HashSet<string> LegalWords =
    [
        "inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc", "corp", "corporation", "co", "company", "gmbh", "mbh", "ag", "kg",
        "ug", "se", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as", "aps", "asa", "pty", "pte", "kk", "sl", "sro", "zoo", "group",
    ];

    /// <summary>Longest first, so 股份有限公司 goes before 有限公司 is tried.</summary>
    private static readonly string[] CjkSuffixes =
        ["股份有限公司", "有限责任公司", "有限責任公司", "集团有限公司", "集團有限公司", "有限公司", "株式会社", "集团公司", "集團公司", "集团", "集團", "公司"];

    /// <summary>A company name's key: "ACME, Inc." and "Acme Corp" → <c>acme</c>; "小米科技有限责任公司" → <c>小米科技</c>.</summary>
    public static string? Company(string? name)
    {
        var text = Fold(name);
        if (text.Length == 0)
        {
            return null;
        }

        var stripped = true;
        while (stripped)
        {
            stripped = false;
            text = TrimNonWord(text);
            foreach (var suffix in CjkSuffixes)
            {
                if (text.Length > suffix.Length + 1 && text.EndsWith(suffix, StringComparison.Ordinal))
                {
                    text = text[..^suffix.Length];
                    stripped = true;
                    break;
                }
            }
        }

        var words = Words(text);
        var all = string.Concat(words);
        if (words.Count > 1 && words[0] == "the")
        {
            words.RemoveAt(0);
        }

        while (words.Count > 1)
        {
            if (LegalWords.Contains(words[^1]))
            {
                words.RemoveAt(words.Count - 1);
                continue;
            }

            // Dotted forms: "S.A.", "B.V.", "K.K." arrive as single letters.
            var letters = Enumerable.Range(2, 2).FirstOrDefault(n => words.Count > n && words.TakeLast(n).All(w => w.Length == 1) && LegalWords.Contains(string.Concat(words.TakeLast(n))));
            if (letters == 0)
            {
                break;
            }

            words.RemoveRange(words.Count - letters, letters);
        }

        var key = Cap(words.Count > 0 ? string.Concat(words) : all);
        return key.Length > 0 ? key : null;
    }

    /// <summary>A person's key: Latin names as sorted words ("Lovelace, Ada" = "Ada Lovelace"); Chinese as family then given name, no spaces.</summary>
    public static string? Person(string? firstName, string? lastName)
    {
        var (first, last) = (Fold(firstName), Fold(lastName));
        if (IsCjk(first) || IsCjk(last))
        {
            return Cap(string.Concat(Words(last)) + string.Concat(Words(first))) is { Length: > 0 } cjk ? cjk : null;
        }

        var words = Words(first + " " + last);
        words.Sort(StringComparer.Ordinal);
        return words.Count > 0 ? Cap(string.Join(' ', words)) : null;
    }

    /// <summary>How many edits still make two keys "similar": none for short names, more for longer ones.</summary>
    public static int Tolerance(string key, bool person)
    {
        var length = key.EnumerateRunes().Count(r => r.Value != ' ');
        return IsCjk(key)
            ? length >= (person ? 3 : 4) ? 1 : 0
            : length switch { < 5 => 0, < 10 => 1, _ => 2 };
    }

    /// <summary>Levenshtein distance over characters (runes), giving up above <paramref name="max"/> (returns max + 1).</summary>
    public static int Distance(string a, string b, int max)
    {
        var x = a.EnumerateRunes().ToArray();
        var y = b.EnumerateRunes().ToArray();
        if (Math.Abs(x.Length - y.Length) > max)
        {
            return max + 1;
        }

        var previous = Enumerable.Range(0, y.Length + 1).ToArray();
        var current = new int[y.Length + 1];
        for (var i = 1; i <= x.Length; i++)
        {
            current[0] = i;
            var best = current[0];
            for (var j = 1; j <= y.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1));
                best = Math.Min(best, current[j]);
            }

            if (best > max)
            {
                return max + 1;
            }

            (previous, current) = (current, previous);
        }

        return Math.Min(previous[y.Length], max + 1);
    }

    /// <summary>The similarity of two keys within tolerance, or null: the edit distance (0 = equal).</summary>
    public static int? Similar(string typed, string other, bool person)
    {
        var tolerance = Math.Min(Tolerance(typed, person), Tolerance(other, person));
        var distance = Distance(typed, other, tolerance);
        return distance <= tolerance ? distance : null;
    }

    public static bool IsCjk(string? text) => text is { Length: > 0 } && text.Any(ch => ch is >= '\u3400' and <= '\u9fff' or >= '\uf900' and <= '\ufaff');

    /// <summary>Full-width to normal width, lower case, accents removed.</summary>
    private static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        if (Ascii.IsValid(text))
        {
            return text.ToLowerInvariant().Trim(); // plain ASCII: already in every normal form, and without accents
        }

        var decomposed = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed.Where(ch => CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark))
        {
            folded.Append(ch);
        }

        return folded.ToString().Normalize(NormalizationForm.FormC).Trim();
    }

    private static List<string> Words(string text) =>
        [.. text.Split(text.Where(ch => !char.IsLetterOrDigit(ch)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries)];

    private static string TrimNonWord(string text) =>
        text.Trim().TrimEnd(text.Where(ch => !char.IsLetterOrDigit(ch)).Distinct().ToArray());

    private static string Cap(string key) => key.Length > MaxLength ? key[..MaxLength] : key;
}
