using System.Text.RegularExpressions;

namespace Rapport.Kernel.Search;

/// <summary>
/// What a user typed, tokenized like the index (<see cref="SearchText"/>): every term must match.
/// A word matches as a prefix (<c>wan</c> finds <c>wang</c>); a Chinese run of one character matches
/// that character, of two the bigram, of three or more its bigrams in a row (<c>王小明</c> → the
/// phrase <c>王小 小明</c>); a query that looks like a phone number becomes its digits, matched as a
/// prefix of any of the number's forms (so <c>138 0013 8000</c>, <c>+86 138…</c> and <c>13800138000</c> all match).
/// </summary>
public sealed partial class SearchQuery
{
    public const int MaxLength = 200;
    private const int MaxTerms = 16;

    private SearchQuery(IReadOnlyList<Term> terms, string compact)
    {
        Terms = terms;
        Compact = compact;
    }

    /// <summary>One thing that must match: any of its alternatives.</summary>
    public sealed record Term(IReadOnlyList<Phrase> Alternatives);

    /// <summary>Tokens that must stand next to each other; the last one may be a prefix.</summary>
    public sealed record Phrase(IReadOnlyList<string> Tokens, bool Prefix);

    public IReadOnlyList<Term> Terms { get; }

    /// <summary>The query's words and CJK runs, for ranking (<see cref="SearchText.Quality"/>).</summary>
    public string Compact { get; }

    public bool IsEmpty => Terms.Count == 0;

    public static SearchQuery Parse(string text)
    {
        if (PhoneLike().IsMatch(text) && text.Count(char.IsAsciiDigit) is var count && (count >= 6 || text.TrimStart().StartsWith('+')))
        {
            var digits = string.Concat(text.Where(char.IsAsciiDigit));
            var alternatives = new List<Phrase> { new([digits], true) };
            if (digits.StartsWith("00", StringComparison.Ordinal) && digits.Length > 4)
            {
                alternatives.Add(new([digits[2..]], true)); // 00 is the international call prefix in most countries
            }

            return new SearchQuery([new Term(alternatives)], digits);
        }

        var segments = SearchText.Segments(SearchText.Normalize(text)).Take(MaxTerms).ToList();
        var terms = segments.Select(s => new Term([SearchText.IsCjk(s.EnumerateRunes().First())
            ? new Phrase(SearchText.RuneCount(s) == 1 ? [s] : [.. SearchText.BigramsOf(s)], false)
            : new Phrase([s], true)])).ToList();
        return new SearchQuery(terms, SearchText.CompactOf(segments));
    }

    /// <summary>The query as an FTS5 MATCH expression: <c>"王小 小明" "wan"*</c>. Tokens hold only letters and digits, so quoting is safe.</summary>
    public string ToFts5() => string.Join(' ', Terms.Select(t =>
    {
        var phrases = t.Alternatives.Select(p => $"\"{string.Join(' ', p.Tokens)}\"{(p.Prefix ? "*" : "")}").ToList();
        return phrases.Count == 1 ? phrases[0] : "(" + string.Join(" OR ", phrases) + ")";
    }));

    /// <summary>The query for PostgreSQL's <c>to_tsquery('simple', …)</c>: <c>('王小' &lt;-&gt; '小明') &amp; 'wan':*</c>.</summary>
    public string ToTsQuery() => string.Join(" & ", Terms.Select(t =>
        "(" + string.Join(" | ", t.Alternatives.Select(p => "(" + string.Join(" <-> ", p.Tokens.Select((token, i) =>
            $"'{token}'{(p.Prefix && i == p.Tokens.Count - 1 ? ":*" : "")}")) + ")")) + ")"));

    [GeneratedRegex(@"^\s*\+?[\d\s\-().\/]+$")]
    private static partial Regex PhoneLike();
}
