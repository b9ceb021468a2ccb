using System.Globalization;
using System.Text.Json;
using Rapport.Kernel.CustomFields;
using Rapport.Kernel.Transfer;

namespace Rapport.Kernel.Imports;

/// <summary>
/// Reads the text of a cell as the value a field holds, leniently (the formats people and spreadsheets write),
/// with an error in plain words when it cannot. Cells neutralized by an export (<c>'=…</c>) are restored first.
/// </summary>
public static class ImportValues
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-M-d", "yyyy/MM/dd", "yyyy/M/d", "yyyy.MM.dd", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日", "yyyy年MM月dd日",
        "d.M.yyyy", "dd.MM.yyyy", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/M/d H:mm", "yyyy/M/d H:mm:ss",
    ];

    private static readonly string[] Yes = ["yes", "y", "true", "1", "x", "✓", "是", "对", "有"];
    private static readonly string[] No = ["no", "n", "false", "0", "否", "不", "无", "没有"];

    public static string? Text(string? cell) => SpreadsheetCells.Restore(cell)?.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>Several values in one cell: <c>a; b</c>, <c>a, b</c>, <c>a、b</c> or one per line.</summary>
    public static IReadOnlyList<string> List(string? cell) =>
        Text(cell) is { } text ? [.. text.Split([';', '；', '\n', '、', '|', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : [];

    public static bool TryDate(string text, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date))
        {
            return true;
        }

        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var at))
        {
            date = DateOnly.FromDateTime(at);
            return true;
        }

        // A spreadsheet's date serial (days since 1899-12-30), as Excel's East Asian date formats leave them.
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var serial) && serial is > 1 and < 2_958_466)
        {
            date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return true;
        }

        // US style as the last resort (month first), as Excel in English writes it.
        return DateOnly.TryParseExact(text, UsDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date);
    }

    private static readonly string[] UsDateFormats = ["M/d/yyyy", "MM/dd/yyyy"];

    private static readonly Lazy<Dictionary<string, string>> CountryNames = new(() =>
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            try
            {
                var region = new RegionInfo(culture.Name);
                foreach (var name in new[] { region.EnglishName, region.NativeName, region.ThreeLetterISORegionName, region.TwoLetterISORegionName })
                {
                    names.TryAdd(name, region.TwoLetterISORegionName);
                }
            }
            catch (ArgumentException)
            {
            }
        }

        foreach (var (name, code) in new[] { ("中国", "CN"), ("中华人民共和国", "CN"), ("美国", "US"), ("英国", "GB"), ("德国", "DE"), ("法国", "FR"), ("日本", "JP"),
                     ("香港", "HK"), ("台湾", "TW"), ("新加坡", "SG"), ("USA", "US"), ("UK", "GB"), ("England", "GB") })
        {
            names[name] = code;
        }

        return names;
    });

    /// <summary>A country cell as an ISO 3166 code: codes as they are, names in English, Chinese or the country's own language looked up.</summary>
    public static string? Country(string? text) =>
        text is null ? null : CountryNames.Value.GetValueOrDefault(text.Trim()) ?? text.Trim().ToUpperInvariant();

    public static bool TryNumber(string text, out decimal number)
    {
        var cleaned = text.Trim().TrimEnd('%').Trim().TrimStart('¥', '$', '€', '£', '￥').Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return decimal.TryParse(cleaned, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out number);
    }

    public static bool? YesNo(string text) =>
        Yes.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase) ? true : No.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase) ? false : null;

    /// <summary>A custom field's cell as the JSON the custom field rules check, or the reason it cannot be one.</summary>
    public static (JsonElement Value, string? Error) Custom(CustomField field, string text)
    {
        switch (field.Type)
        {
            case CustomFieldType.Number or CustomFieldType.Currency or CustomFieldType.Percent:
                return TryNumber(text, out var number) ? (Json(number), null) : (default, $"{field.Label}: '{text}' is not a number.");
            case CustomFieldType.Date:
                return TryDate(text, out var date) ? (Json(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null) : (default, $"{field.Label}: '{text}' is not a date.");
            case CustomFieldType.DateTime:
                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? (Json(at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)), null)
                    : (default, $"{field.Label}: '{text}' is not a date and time.");
            case CustomFieldType.YesNo:
                return YesNo(text) is { } yes ? (Json(yes), null) : (default, $"{field.Label}: '{text}' is neither yes nor no.");
            case CustomFieldType.SingleSelect:
                return Option(field, text) is { } key ? (Json(key), null) : (default, UnknownOption(field, text));
            case CustomFieldType.MultiSelect:
                var keys = new List<string>();
                foreach (var item in List(text))
                {
                    if (Option(field, item) is not { } itemKey)
                    {
                        return (default, UnknownOption(field, item));
                    }

                    keys.Add(itemKey);
                }

                return (Json(keys), null);
            default:
                return (Json(text), null);
        }
    }

    private static string? Option(CustomField field, string text) =>
        field.Options.FirstOrDefault(o => string.Equals(o.Key, text, StringComparison.OrdinalIgnoreCase)
                                          || string.Equals(o.Label, text, StringComparison.OrdinalIgnoreCase)
                                          || string.Equals(o.LabelZh, text, StringComparison.OrdinalIgnoreCase))?.Key;

    private static string UnknownOption(CustomField field, string text) =>
        $"{field.Label}: '{text}' is not one of its options ({string.Join(", ", field.Options.Select(o => o.Label))}).";

    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);
}
