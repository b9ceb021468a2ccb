using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rapport.Kernel.Transfer;

/// <summary>A field an import can fill: its key and the labels and aliases a column header may use for it
/// (English and Chinese, e.g. <c>("emails", ["Email", "E-mail", "邮箱", "电子邮件"])</c>).</summary>
public sealed record ImportFieldInfo(string Key, IReadOnlyList<string> Names);

/// <summary>
/// Suggests which field each column of an imported file means, from its header. Headers and names are compared
/// normalized (full-width to half-width, accents and case dropped, only letters and digits kept, a trailing
/// "(2)" removed), so <c>E-Mail</c>, <c>e_mail</c> and <c>ＥＭＡＩＬ</c> are one name. An exact match wins; then a
/// name at the start of the header (<c>手机号码</c> → <c>手机</c>), at its end (<c>联系电话</c> → <c>电话</c>) or inside
/// it, scored by how much of the longer text the shorter covers. A field goes to one header only: the best-scoring
/// pair first, the earlier header on a tie; names shorter than two characters (three for Latin letters) only match
/// exactly, so <c>名</c> never claims <c>公司名称</c>.
/// </summary>
public static partial class ColumnMatcher
{
    private const int Exact = 1000;
    private const int Prefix = 600;
    private const int Suffix = 500;
    private const int Inside = 400;
    private const int Coverage = 300;

    /// <summary>For each header, the key of the field it most likely means, or <c>null</c>.</summary>
    public static IReadOnlyList<string?> Suggest(IReadOnlyList<string> headers, IReadOnlyList<ImportFieldInfo> fields)
    {
        var names = fields
            .Select(f => f.Names.Append(f.Key).Select(Normalize).Where(n => n.Length > 0).Distinct().ToArray())
            .ToArray();
        var pairs = new List<(int Score, int Header, int Field)>();
        for (var h = 0; h < headers.Count; h++)
        {
            var header = Normalize(headers[h]);
            if (header.Length == 0)
            {
                continue;
            }

            for (var f = 0; f < fields.Count; f++)
            {
                var score = names[f].Max(name => (int?)Score(header, name)) ?? 0;
                if (score > 0)
                {
                    pairs.Add((score, h, f));
                }
            }
        }

        var suggestions = new string?[headers.Count];
        var taken = new bool[fields.Count];
        foreach (var (_, h, f) in pairs.OrderByDescending(p => p.Score).ThenBy(p => p.Header).ThenBy(p => p.Field))
        {
            if (suggestions[h] is null && !taken[f])
            {
                suggestions[h] = fields[f].Key;
                taken[f] = true;
            }
        }

        return suggestions;
    }

    /// <summary>A header or name reduced to what identifies it: <c>" E-Mail Address (2) "</c> → <c>emailaddress</c>.</summary>
    public static string Normalize(string text)
    {
        var halfWidth = text.Normalize(NormalizationForm.FormKC).Trim();
        var withoutCopy = RepeatMark().Replace(halfWidth, "");
        if (withoutCopy.Length > 0)
        {
            halfWidth = withoutCopy;
        }

        var builder = new StringBuilder(halfWidth.Length);
        foreach (var ch in halfWidth.Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(ch))
            {
                builder.Append(char.ToLowerInvariant(ch));
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static int Score(string header, string name)
    {
        if (header == name)
        {
            return Exact;
        }

        var (shorter, longer) = header.Length <= name.Length ? (header, name) : (name, header);
        if (shorter.Length < MinimumPartLength(shorter))
        {
            return 0;
        }

        var coverage = Coverage * shorter.Length / longer.Length;
        return longer.StartsWith(shorter, StringComparison.Ordinal) ? Prefix + coverage
            : longer.EndsWith(shorter, StringComparison.Ordinal) ? Suffix + coverage
            : longer.Contains(shorter, StringComparison.Ordinal) ? Inside + coverage
            : 0;
    }

    /// <summary>A Chinese character says as much as a short word: two of them are a part worth matching, three Latin letters.</summary>
    private static int MinimumPartLength(string text) =>
        text.Any(ch => CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.OtherLetter) ? 2 : 3;

    [GeneratedRegex(@"\s*\(\d+\)$")]
    private static partial Regex RepeatMark();
}
