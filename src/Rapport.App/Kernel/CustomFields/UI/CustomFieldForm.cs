using System.Globalization;
using System.Text.Json;

namespace Rapport.Kernel.CustomFields.UI;

/// <summary>The editable state of a record's custom values in a form: one typed slot per field, turned back into API values on save.</summary>
public sealed class CustomFieldForm
{
    public sealed class Slot
    {
        public string? Text { get; set; }
        public decimal? Number { get; set; }
        public DateTime? Date { get; set; }
        public TimeSpan? Time { get; set; }
        public bool YesNo { get; set; }
        public IReadOnlyCollection<string> Options { get; set; } = [];
    }

    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public CustomFieldForm(IReadOnlyList<CustomFieldDto> fields, IReadOnlyDictionary<string, JsonElement>? values)
    {
        Fields = fields;
        foreach (var field in fields)
        {
            var slot = new Slot();
            var hasValue = values is not null && values.TryGetValue(field.Key, out var value) && value.ValueKind != JsonValueKind.Null;
            var current = hasValue ? values![field.Key] : field.DefaultValue is { ValueKind: not JsonValueKind.Null } d && values is null ? d : default;
            switch (field.Type)
            {
                case CustomFieldType.Number or CustomFieldType.Currency or CustomFieldType.Percent:
                    slot.Number = current.ValueKind == JsonValueKind.Number ? current.GetDecimal() : null;
                    break;
                case CustomFieldType.Date:
                    slot.Date = current.ValueKind == JsonValueKind.String && DateTime.TryParseExact(current.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
                    break;
                case CustomFieldType.DateTime:
                    if (current.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(current.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    {
                        var local = at.ToLocalTime().DateTime;
                        (slot.Date, slot.Time) = (local.Date, local.TimeOfDay);
                    }

                    break;
                case CustomFieldType.YesNo:
                    slot.YesNo = current.ValueKind == JsonValueKind.True;
                    break;
                case CustomFieldType.MultiSelect:
                    slot.Options = current.ValueKind == JsonValueKind.Array ? [.. current.EnumerateArray().Select(v => v.GetString()!)] : [];
                    break;
                default:
                    slot.Text = current.ValueKind == JsonValueKind.String ? current.GetString() : null;
                    break;
            }

            _slots[field.Key] = slot;
        }
    }

    public IReadOnlyList<CustomFieldDto> Fields { get; }

    /// <summary>The form for a record of <paramref name="entityType"/>: its workspace's fields, filled with the record's values (or the defaults for a new one).</summary>
    public static async Task<CustomFieldForm> LoadAsync(Operations operations, System.Security.Claims.ClaimsPrincipal user, string entityType, IReadOnlyDictionary<string, JsonElement>? values)
    {
        var fields = await operations.RunAsync<ListCustomFields.Handler, Api.Outcome<IReadOnlyList<CustomFieldDto>>>(user, h => h.HandleAsync(entityType, CancellationToken.None));
        return new CustomFieldForm(fields.Value ?? [], values);
    }

    public Slot this[string key] => _slots[key];

    /// <summary>Every field's value for the API (null clears), leaving out fields the user may not change.</summary>
    public Dictionary<string, JsonElement> ToValues(Func<string, bool> editable)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var field in Fields.Where(f => editable(CustomFieldSet.Prefix + f.Key)))
        {
            var slot = _slots[field.Key];
            object? value = field.Type switch
            {
                CustomFieldType.Number or CustomFieldType.Currency or CustomFieldType.Percent => slot.Number,
                CustomFieldType.Date => slot.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                CustomFieldType.DateTime => slot.Date is { } date
                    ? new DateTimeOffset(DateTime.SpecifyKind(date.Date + (slot.Time ?? TimeSpan.Zero), DateTimeKind.Local)).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)
                    : null,
                CustomFieldType.YesNo => slot.YesNo,
                CustomFieldType.MultiSelect => slot.Options.ToArray(),
                _ => string.IsNullOrWhiteSpace(slot.Text) ? null : slot.Text,
            };
            values[field.Key] = JsonSerializer.SerializeToElement(value);
        }

        return values;
    }

    /// <summary>A stored value as people read it: option labels in their language, dates and numbers in their culture.</summary>
    public static string Display(CustomFieldDto field, JsonElement value, bool chinese)
    {
        string Option(string key) => field.Options.FirstOrDefault(o => o.Key == key) is { } o ? chinese && o.LabelZh is { Length: > 0 } zh ? zh : o.Label : key;
        return field.Type switch
        {
            _ when value.ValueKind == JsonValueKind.Null => "",
            CustomFieldType.YesNo => value.ValueKind == JsonValueKind.True ? "✓" : "✗",
            CustomFieldType.SingleSelect => Option(value.GetString()!),
            CustomFieldType.MultiSelect => string.Join(", ", value.EnumerateArray().Select(v => Option(v.GetString()!))),
            CustomFieldType.Number => value.GetDecimal().ToString("N", CultureInfo.CurrentCulture).TrimEnd('0').TrimEnd(CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator[0]),
            CustomFieldType.Currency => $"{field.Currency} {value.GetDecimal().ToString("N2", CultureInfo.CurrentCulture)}",
            CustomFieldType.Percent => $"{value.GetDecimal().ToString("0.####", CultureInfo.CurrentCulture)} %",
            CustomFieldType.Date => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("d", CultureInfo.CurrentCulture),
            CustomFieldType.DateTime => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture).ToLocalTime().ToString("g", CultureInfo.CurrentCulture),
            _ => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.ToString(),
        };
    }
}
