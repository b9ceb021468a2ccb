using System.Text;
using Rapport.Kernel.Transfer;

namespace Rapport.Tests.Kernel;

/// <summary>vCard files as address books export them, read back field by field; Rapport's own 4.0 output folded, escaped and read back unchanged.</summary>
public sealed class VCardTests
{
    private static List<VCardContact> ReadFixture(string name)
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Kernel", "Fixtures", name), Encoding.UTF8);
        return [.. VCard.Read(reader)];
    }

    [Fact]
    public void Apple_contacts_export_is_read_with_grouped_properties_preferred_values_and_a_birthday_without_year()
    {
        var cards = ReadFixture("apple-contacts.vcf");

        Assert.Equal(2, cards.Count);
        var wang = cards[0];
        Assert.Equal(("王", "小明", "王小明"), (wang.FamilyName, wang.GivenName, wang.FormattedName));
        Assert.Equal(["wang.xiaoming@example.com", "xiaoming@example.cn"], wang.Emails); // type=pref first
        Assert.Equal(["+86 138 0013 8000", "+86 21 5555 0000"], wang.Phones);
        Assert.Equal(("上海示例科技有限公司", "销售总监"), (wang.Organization, wang.Title));
        Assert.Equal(new DateOnly(1985, 4, 12), wang.Birthday);
        Assert.Equal(("南京西路1266号", "上海", "上海市", "200040", "中国"), (wang.Street, wang.City, wang.Region, wang.PostalCode, wang.Country));
        Assert.Equal("第一次见面：2024年\n展会，带了样品", wang.Note);
        Assert.Equal(["VIP", "客户"], wang.Categories);

        var johnny = cards[1];
        Assert.Equal(("Appleseed", "Johnny"), (johnny.FamilyName, johnny.GivenName));
        Assert.Equal(new DateOnly(VCard.NoYear, 3, 15), johnny.Birthday);
        Assert.Equal(["(408) 555-0100"], johnny.Phones);
        Assert.Equal("1 Infinite Loop\nBuilding 2", johnny.Street);
        Assert.Equal("United States", johnny.Country);
    }

    [Fact]
    public void Google_contacts_export_is_read_with_folded_lines_escapes_and_categories()
    {
        var cards = ReadFixture("google-contacts.vcf");

        Assert.Equal(2, cards.Count);
        var li = cards[0];
        Assert.Equal(("李", "娜", "李娜"), (li.FamilyName, li.GivenName, li.FormattedName));
        Assert.Equal(["li.na@example.com", "lina.work@example.org"], li.Emails);
        Assert.Equal(["+8613912345678"], li.Phones);
        Assert.Equal(new DateOnly(VCard.NoYear, 5, 20), li.Birthday);
        Assert.Equal(("人民路 88 号", "杭州", "浙江", "310000", "CN"), (li.Street, li.City, li.Region, li.PostalCode, li.Country));
        Assert.Equal("Met at the Hangzhou meetup, 2023. Interested in the enterprise plan; follow up in Q3 with a demo of the reporting module.", li.Note);
        Assert.Equal(["myContacts", "Friends"], li.Categories);
        Assert.Equal(("阿里示例", "产品经理"), (li.Organization, li.Title));

        var sean = cards[1];
        Assert.Equal(("O'Brien", "Seán"), (sean.FamilyName, sean.GivenName));
        Assert.Equal(["sean.obrien@example.ie"], sean.Emails);
        Assert.Equal(["+353 1 555 0199"], sean.Phones);
    }

    [Fact]
    public void Outlook_export_is_read_with_quoted_printable_charsets_and_soft_line_breaks()
    {
        var zhang = Assert.Single(ReadFixture("outlook.vcf"));

        Assert.Equal(("张", "伟", "张伟"), (zhang.FamilyName, zhang.GivenName, zhang.FormattedName));
        Assert.Equal("北京示例有限公司", zhang.Organization); // GB2312 bytes
        Assert.Equal(["+86 10 6552 9988", "13800138000"], zhang.Phones);
        Assert.Equal(["zhang.wei@example.com.cn"], zhang.Emails);
        Assert.Equal(("建国门外大街1号", "北京", null, "100004", "中国"), (zhang.Street, zhang.City, zhang.Region, zhang.PostalCode, zhang.Country));
        Assert.Equal("Line one\r\nLine two is long enough that Outlook breaks it with a soft line break= here", zhang.Note);
    }

    [Fact]
    public void Vcard_4_is_read_with_tel_uris_preferred_language_and_escaped_commas()
    {
        var chen = Assert.Single(ReadFixture("vcard4.vcf"));

        Assert.Equal(("陈", "静"), (chen.FamilyName, chen.GivenName));
        Assert.Equal(["+86-139-1234-5678", "+1-555-555-5555 ext. 102"], chen.Phones);
        Assert.Equal("zh-Hans", chen.Language);
        Assert.Equal(new DateOnly(1990, 1, 1), chen.Birthday);
        Assert.Equal("静安路 1 号, 2 楼", chen.Street);
        Assert.Equal(["合作伙伴", "VIP"], chen.Categories);
    }

    [Fact]
    public void Lowercase_property_names_and_bare_line_feeds_are_read()
    {
        var card = Assert.Single(ReadFixture("lowercase.vcf"));

        Assert.Equal(("Lower Case", "Case", "Lower"), (card.FormattedName, card.FamilyName, card.GivenName));
        Assert.Equal(["lower@example.com"], card.Emails);
        Assert.Equal(["+44 20 7946 0958"], card.Phones);
    }

    [Fact]
    public void Cards_are_read_one_at_a_time()
    {
        var text = string.Concat(Enumerable.Range(0, 3).Select(i => $"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Card {i}\r\nEND:VCARD\r\n"));
        using var reader = new CountingReader(text);

        using var cards = VCard.Read(reader).GetEnumerator();
        Assert.True(cards.MoveNext());
        Assert.Equal("Card 0", cards.Current.FormattedName);
        Assert.True(reader.Lines <= 5, $"read {reader.Lines} lines for the first card"); // its 4 lines and at most one ahead
    }

    [Fact]
    public void Written_lines_are_crlf_ended_and_folded_at_75_octets_without_splitting_a_character()
    {
        var note = string.Concat(Enumerable.Repeat("客户说: 明年再谈, 预算; 见附件。😀 ", 12));
        var text = Write(new VCardContact { FamilyName = "王", GivenName = "小明", Note = note });

        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        foreach (var line in text.Split("\r\n")[..^1])
        {
            var bytes = strict.GetBytes(line);
            Assert.True(bytes.Length <= 75, $"{bytes.Length} octets: {line}");
            Assert.Equal(line, strict.GetString(bytes)); // a line of whole characters, no half surrogate pair
        }

        Assert.Contains("NOTE:客户说: 明年再谈\\, 预算\\; 见附件。😀 客户说", text.Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(note.Trim(), Assert.Single(VCard.Read(new StringReader(text))).Note);
    }

    [Fact]
    public void Written_text_escapes_commas_semicolons_backslashes_and_line_breaks()
    {
        var text = Write(new VCardContact { FamilyName = "Doe; Jr.", GivenName = "Jane, \"JJ\"", Note = "C:\\path\r\nnext line\nthird", Title = "CEO, Founder" });

        Assert.Contains("N:Doe\\; Jr.;Jane\\, \"JJ\";;;\r\n", text, StringComparison.Ordinal);
        Assert.Contains("NOTE:C:\\\\path\\nnext line\\nthird\r\n", text, StringComparison.Ordinal);
        Assert.Contains("TITLE:CEO\\, Founder\r\n", text, StringComparison.Ordinal);
        Assert.StartsWith("BEGIN:VCARD\r\nVERSION:4.0\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Contacts_survive_a_write_and_read_round_trip()
    {
        VCardContact[] contacts =
        [
            new()
            {
                GivenName = "小明", FamilyName = "王", FormattedName = "王小明", Emails = ["xiaoming@example.cn", "wang@example.com"],
                Phones = ["+8613800138000", "+86 21 5555 0000 ext. 12"], Organization = "上海示例科技有限公司; 销售部", Title = "销售总监, 华东",
                Birthday = new DateOnly(1985, 4, 12), Street = "南京西路1266号\n恒隆广场 2 座", City = "上海", Region = "上海市", PostalCode = "200040",
                Country = "CN", Note = "Likes tea; dislikes \\ coffee,\r\nsee notes", Categories = ["VIP", "客户, 华东"], Language = "zh-Hans",
            },
            new() { GivenName = "Johnny", FamilyName = "Appleseed", FormattedName = "Johnny Appleseed", Birthday = new DateOnly(VCard.NoYear, 2, 29) },
            new() { FamilyName = "Only", FormattedName = "Only" },
        ];

        var read = VCard.Read(new StringReader(Write(contacts))).ToList();

        Assert.Equal(contacts.Length, read.Count);
        for (var i = 0; i < contacts.Length; i++)
        {
            var (a, b) = (contacts[i], read[i]);
            Assert.Equal((a.GivenName, a.FamilyName, a.FormattedName, a.Organization, a.Title, a.Birthday), (b.GivenName, b.FamilyName, b.FormattedName, b.Organization, b.Title, b.Birthday));
            Assert.Equal((a.Street, a.City, a.Region, a.PostalCode, a.Country, a.Language), (b.Street, b.City, b.Region, b.PostalCode, b.Country, b.Language));
            Assert.Equal(a.Note?.Replace("\r\n", "\n", StringComparison.Ordinal), b.Note);
            Assert.Equal(a.Emails, b.Emails);
            Assert.Equal(a.Phones, b.Phones);
            Assert.Equal(a.Categories, b.Categories);
        }

        Assert.Contains("TEL;VALUE=uri;PREF=1:tel:+8613800138000\r\n", Write(contacts[0]), StringComparison.Ordinal);
        Assert.Contains("BDAY:--0229\r\n", Write(contacts[1]), StringComparison.Ordinal);
    }

    private static string Write(params VCardContact[] contacts)
    {
        var text = new StringWriter();
        VCard.Write(text, contacts);
        return text.ToString();
    }

    private sealed class CountingReader(string text) : StringReader(text)
    {
        public int Lines { get; private set; }

        public override string? ReadLine()
        {
            Lines++;
            return base.ReadLine();
        }
    }
}
