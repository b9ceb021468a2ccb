using Rapport.Kernel.Search;

namespace Rapport.Tests.Kernel;

/// <summary>The search text both databases index, and queries tokenized the same way.</summary>
public sealed class SearchTextTests
{
    [Fact]
    public void Chinese_runs_become_bigrams_then_single_characters_and_words_lower_case()
    {
        Assert.Equal("王小 小明 ~ 王 小 明", SearchText.Build(SearchFieldKind.Text, ["王小明"]));
        Assert.Equal("王", SearchText.Build(SearchFieldKind.Text, ["王"]));
        Assert.Equal("big acme 北京 ~ 北 京 | jose", SearchText.Build(SearchFieldKind.Text, ["Big ACME北京", "José", null, " "]));
        Assert.Equal("abc 123", SearchText.Build(SearchFieldKind.Text, ["ＡＢＣ １２３"]));
    }

    [Fact]
    public void Emails_domains_and_phones_are_split_into_their_forms()
    {
        Assert.Equal("wang xm acme com cn | acme com cn | wangxm", SearchText.Build(SearchFieldKind.Email, ["Wang.XM@Acme.com.cn"]));
        Assert.Equal("www acme com | acme com", SearchText.Build(SearchFieldKind.Domain, ["https://www.acme.com:8443/about?x=1"]));
        Assert.Equal("8613800138000 | 13800138000", SearchText.Build(SearchFieldKind.Phone, ["+8613800138000"]));
        Assert.Equal("861065528888 | 01065528888 | 1065528888 | 65528888", SearchText.Build(SearchFieldKind.Phone, ["010 6552 8888"], "CN"));
        Assert.Equal("12", SearchText.Build(SearchFieldKind.Phone, ["12"], "CN"));
    }

    [Theory]
    [InlineData("明", "\"明\"", "(('明'))")]
    [InlineData("小明", "\"小明\"", "(('小明'))")]
    [InlineData("王小明", "\"王小 小明\"", "(('王小' <-> '小明'))")]
    [InlineData("Wang XM", "\"wang\"* \"xm\"*", "(('wang':*)) & (('xm':*))")]
    [InlineData("+86 138-0013-8000", "\"8613800138000\"*", "(('8613800138000':*))")]
    [InlineData("0086 138 0013 8000", "(\"008613800138000\"* OR \"8613800138000\"*)", "(('008613800138000':*) | ('8613800138000':*))")]
    [InlineData("a\"b' OR c*", "\"a\"* \"b\"* \"or\"* \"c\"*", "(('a':*)) & (('b':*)) & (('or':*)) & (('c':*))")]
    public void Queries_are_tokenized_like_the_index(string typed, string fts5, string tsQuery)
    {
        var query = SearchQuery.Parse(typed);
        Assert.Equal(fts5, query.ToFts5());
        Assert.Equal(tsQuery, query.ToTsQuery());
    }

    [Fact]
    public void Quality_ranks_exact_then_prefix_then_word_then_substring()
    {
        var text = SearchText.Build(SearchFieldKind.Text, ["王小明"]);
        Assert.Equal(4, SearchText.Quality(text, SearchQuery.Parse("王小明")));
        Assert.Equal(3, SearchText.Quality(text, SearchQuery.Parse("王小")));
        Assert.Equal(1, SearchText.Quality(text, SearchQuery.Parse("小明")));
        Assert.Equal(2, SearchText.Quality(SearchText.Build(SearchFieldKind.Text, ["Ada Lovelace"]), SearchQuery.Parse("love")));
        Assert.Equal(4, SearchText.Quality(SearchText.Build(SearchFieldKind.Phone, ["+8613800138000"]), SearchQuery.Parse("138 0013 8000")));
        Assert.True(SearchQuery.Parse("?!").IsEmpty);
    }
}
