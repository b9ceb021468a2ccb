using System.Globalization;
using Rapport.Kernel.Imports.UI;
using Rapport.Kernel.Transfer;

namespace Rapport.Tests.Kernel;

public sealed class ImportLabelsTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-Hans");

    [Fact]
    public void A_field_is_named_by_its_first_english_or_first_chinese_name_never_by_its_key()
    {
        var email = new ImportFieldInfo("emails", ["emails", "Email", "E-mail", "邮箱", "电子邮件"]);
        var custom = new ImportFieldInfo("custom.erp_id", ["custom.erp_id", "erp_id", "ERP id", "ERP 编号"]);
        var englishOnly = new ImportFieldInfo("custom.tier", ["custom.tier", "tier", "Tier"]);

        Assert.Equal(("Email", "邮箱"), (ImportLabels.Field(email, English), ImportLabels.Field(email, Chinese)));
        Assert.Equal(("ERP id", "ERP 编号"), (ImportLabels.Field(custom, English), ImportLabels.Field(custom, Chinese)));
        Assert.Equal("Tier", ImportLabels.Field(englishOnly, Chinese));
        Assert.Equal("custom.x", ImportLabels.Field(new ImportFieldInfo("custom.x", ["custom.x", "x"]), English));
    }
}
