namespace Rapport.Kernel.Imports;

/// <summary>A full name in one cell, split into given and family name the way it is written.</summary>
public static class NameParts
{
    private static readonly string[] CompoundSurnames =
        ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "澹台", "申屠"];

    /// <summary><c>王小明</c> → (小明, 王); <c>欧阳娜娜</c> → (娜娜, 欧阳); <c>Ada Lovelace</c> → (Ada, Lovelace); <c>Lovelace, Ada</c> → (Ada, Lovelace).</summary>
    public static (string? Given, string? Family) Split(string full)
    {
        var name = full.Trim();
        if (name.Contains(',', StringComparison.Ordinal))
        {
            var parts = name.Split(',', 2, StringSplitOptions.TrimEntries);
            return (Blank(parts[1]), Blank(parts[0]));
        }

        if (!name.Contains(' ', StringComparison.Ordinal) && name.Length is >= 2 and <= 5 && name.All(IsHan))
        {
            var family = name.Length >= 3 && CompoundSurnames.Any(s => name.StartsWith(s, StringComparison.Ordinal)) ? name[..2] : name[..1];
            return (name[family.Length..], family);
        }

        var space = name.LastIndexOf(' ');
        return space < 0 ? (null, name) : (Blank(name[..space]), Blank(name[(space + 1)..]));
    }

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';

    private static string? Blank(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
