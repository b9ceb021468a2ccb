using System.Globalization;
using Microsoft.Extensions.Localization;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports.UI;

/// <summary>Import fields and keys named in the user's language.</summary>
public static class ImportLabels
{
    /// <summary>
    /// A field's label from <see cref="ImportFieldInfo.Names"/> (its key, then English names, then Chinese ones): the first Chinese
    /// name for Chinese, the first English one otherwise — never the key itself (<c>erp_id</c> of <c>custom.erp_id</c>) when a label exists.
    /// </summary>
    public static string Field(ImportFieldInfo field, CultureInfo culture)
    {
        var bareKey = field.Key[(field.Key.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var names = field.Names.Where(n => n != field.Key && n != bareKey).ToList();
        var chinese = names.FirstOrDefault(IsChinese);
        return culture.Name.StartsWith("zh", StringComparison.Ordinal) && chinese is not null
            ? chinese
            : names.FirstOrDefault(n => !IsChinese(n)) ?? chinese ?? field.Key;
    }

    /// <summary>What records are matched by: a built-in key's translation, or the label of the unique custom field.</summary>
    public static string Key(string key, IReadOnlyList<ImportFieldInfo> fields, IStringLocalizer t, CultureInfo culture) =>
        key.StartsWith("custom.", StringComparison.Ordinal) && fields.FirstOrDefault(f => f.Key == key) is { } custom ? Field(custom, culture) : t["importKey." + key];

    private static bool IsChinese(string text) => text.Any(c => c is >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF');
}
