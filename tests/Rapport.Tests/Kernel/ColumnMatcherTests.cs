using Rapport.Kernel.Transfer;

namespace Rapport.Tests.Kernel;

/// <summary>Column headers in English and Chinese suggest the contact fields they mean.</summary>
public sealed class ColumnMatcherTests
{
    /// <summary>A contact field list as the import wizard would describe it.</summary>
    private static readonly ImportFieldInfo[] ContactFields =
    [
        new("name", ["Name", "Full name", "Contact name", "姓名", "联系人"]),
        new("firstName", ["First name", "Given name", "名", "名字"]),
        new("lastName", ["Last name", "Surname", "Family name", "姓", "姓氏"]),
        new("emails", ["Email", "E-mail", "Email address", "邮箱", "电子邮件", "邮件地址"]),
        new("phones", ["Phone", "Mobile", "Telephone", "Phone number", "手机", "电话", "手机号", "联系电话"]),
        new("company", ["Company", "Company name", "Organization", "公司", "公司名称", "单位"]),
        new("jobTitle", ["Job title", "Title", "Position", "职位", "职务"]),
        new("street", ["Street", "Address", "地址", "街道"]),
        new("city", ["City", "城市"]),
        new("region", ["State", "Province", "Region", "省份", "地区"]),
        new("postalCode", ["Postal code", "ZIP", "Zip code", "Postcode", "邮编", "邮政编码"]),
        new("country", ["Country", "国家"]),
        new("birthday", ["Birthday", "Date of birth", "生日", "出生日期"]),
        new("notes", ["Notes", "Note", "Comments", "备注"]),
        new("tags", ["Tags", "Labels", "标签"]),
        new("source", ["Source", "Lead source", "来源"]),
    ];

    [Fact]
    public void English_headers_match_their_fields_whatever_the_spelling()
    {
        Assert.Equal(
            ["firstName", "lastName", "emails", "phones", "company", "jobTitle", "postalCode", "region", "country", "birthday"],
            ColumnMatcher.Suggest(["First Name", "last_name", "E-Mail", "PHONE NUMBER", "Company", "job.title", "Zip", "State", " Country ", "Date-of-Birth"], ContactFields));
    }

    [Fact]
    public void Chinese_headers_match_their_fields()
    {
        Assert.Equal(
            ["name", "phones", "emails", "company", "jobTitle", "street", "city", "region", "postalCode", "country", "birthday", "notes", "tags", "source", "lastName", "firstName"],
            ColumnMatcher.Suggest(["姓名", "手机", "邮箱", "公司", "职位", "地址", "城市", "省份", "邮编", "国家", "生日", "备注", "标签", "来源", "姓", "名"], ContactFields));
    }

    [Fact]
    public void Full_width_characters_and_a_repeat_mark_are_normalized_away()
    {
        Assert.Equal("email", ColumnMatcher.Normalize("ＥＭＡＩＬ"));
        Assert.Equal("email", ColumnMatcher.Normalize(" E-Mail (2) "));
        Assert.Equal("邮箱", ColumnMatcher.Normalize("邮箱（２）"));
        Assert.Equal("telephone", ColumnMatcher.Normalize("Téléphone"));
        Assert.Equal("手机号码", ColumnMatcher.Normalize("手机 号码："));
        Assert.Equal("2", ColumnMatcher.Normalize("(2)"));
        Assert.Equal(["emails", "phones"], ColumnMatcher.Suggest(["ＥＭＡＩＬ", "手机（２）"], ContactFields));
    }

    [Fact]
    public void Longer_headers_match_a_name_they_start_end_with_or_contain()
    {
        Assert.Equal(
            ["phones", "emails", "company", "notes", "street"],
            ColumnMatcher.Suggest(["手机号码", "电子邮箱", "Company Name (legal)", "Customer Notes", "详细地址信息"], ContactFields));
        Assert.Equal(["emails", "phones"], ColumnMatcher.Suggest(["Email Address 1", "Mobile Phone"], ContactFields));
    }

    [Fact]
    public void A_field_goes_to_one_header_the_best_match_first_then_the_earlier_one()
    {
        Assert.Equal(["emails", null], ColumnMatcher.Suggest(["Email", "Email (2)"], ContactFields));
        Assert.Equal([null, "emails"], ColumnMatcher.Suggest(["Work Email", "Email"], ContactFields));
        Assert.Equal(["phones", null], ColumnMatcher.Suggest(["手机", "电话"], ContactFields));
    }

    [Fact]
    public void Short_names_match_only_exactly_and_unknown_headers_get_nothing()
    {
        Assert.Equal(["company", null, null, null, null], ColumnMatcher.Suggest(["公司名称", "名次", "Id", "", "Favourite colour"], ContactFields));
        Assert.Equal([null], ColumnMatcher.Suggest(["Anything"], []));
    }

    [Fact]
    public void The_field_key_itself_is_a_name()
    {
        Assert.Equal(["postalCode", "jobTitle"], ColumnMatcher.Suggest(["postal_code", "JOBTITLE"], ContactFields));
    }
}
