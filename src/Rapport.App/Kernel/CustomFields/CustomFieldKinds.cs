using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using System.Text.Json.Nodes;
using PhoneNumbers;
using Rapport.Kernel.Filtering;

namespace Rapport.Kernel.CustomFields;

/// <summary>
/// How each custom field type is checked, stored and queried. Stored values are plain JSON:
/// text as strings, numbers as numbers, dates as <c>yyyy-MM-dd</c>, date-times as fixed-width UTC ISO 8601
/// (so text order is time order), yes/no as booleans, multi-selects as arrays of option keys.
/// </summary>
public static class CustomFieldKinds
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();
    public const decimal MaxNumber = 1_000_000_000_000_000m;

    public static bool CanSort(CustomFieldType type) => type is not (CustomFieldType.LongText or CustomFieldType.MultiSelect);

    public static bool IsNumeric(CustomFieldType type) => type is CustomFieldType.Number or CustomFieldType.Currency or CustomFieldType.Percent;

    /// <summary>How the filter language treats the field.</summary>
    public static FieldKind FilterKind(CustomFieldType type) => type switch
    {
        CustomFieldType.Number or CustomFieldType.Currency or CustomFieldType.Percent => FieldKind.Number,
        CustomFieldType.Date => FieldKind.Date,
        CustomFieldType.DateTime => FieldKind.Instant,
        CustomFieldType.YesNo => FieldKind.Boolean,
        CustomFieldType.Link => FieldKind.Id,
        CustomFieldType.MultiSelect => FieldKind.Set,
        _ => FieldKind.Text,
    };

    /// <summary>Checks a value given through the API and returns its stored form (null clears the field), or an error in plain words.</summary>
    public static (JsonNode? Stored, string? Error) Normalize(CustomField field, JsonElement value, string defaultCountry)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return (null, null);
        }

        string? Text() => value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        (JsonNode?, string?) Fail(string reason) => (null, reason);

        switch (field.Type)
        {
            case CustomFieldType.Text or CustomFieldType.LongText:
                var max = field.Type == CustomFieldType.Text ? CustomField.TextMaxLength : CustomField.LongTextMaxLength;
                return Text() is not { } t ? Fail("must be text.")
                    : t.Length == 0 ? (null, null)
                    : t.Length > max ? Fail($"must be at most {max} characters.")
                    : (JsonValue.Create(t), null);
            case CustomFieldType.Number or CustomFieldType.Currency or CustomFieldType.Percent:
                decimal number;
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var n))
                {
                    number = n;
                }
                else if (Text() is { Length: > 0 } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                {
                    number = parsed;
                }
                else
                {
                    return Fail("must be a number.");
                }

                if (Math.Abs(number) >= MaxNumber)
                {
                    return Fail("is too large.");
                }

                if (decimal.Round(number, Money.StoredDecimals) != number)
                {
                    return Fail($"may have at most {Money.StoredDecimals} decimals.");
                }

                return (JsonValue.Create(number), null);
            case CustomFieldType.Date:
                return Text() is { } d && DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
                    : Fail("must be a date like 2026-12-31.");
            case CustomFieldType.DateTime:
                return Text() is { } dt && DateTimeOffset.TryParse(dt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? (JsonValue.Create(StoredInstant(at)), null)
                    : Fail("must be a date and time like 2026-12-31T09:30:00Z.");
            case CustomFieldType.YesNo:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? (JsonValue.Create(value.GetBoolean()), null) : Fail("must be true or false.");
            case CustomFieldType.SingleSelect:
                return Text() is { } key && field.Options.FirstOrDefault(o => o.Key == key) is { } option
                    ? (JsonValue.Create(option.Key), null)
                    : Fail($"must be one of: {string.Join(", ", field.Options.Select(o => o.Key))}.");
            case CustomFieldType.MultiSelect:
                if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
                {
                    return Fail("must be an array of option keys.");
                }

                var keys = value.EnumerateArray().Select(v => v.GetString()!.Trim()).Distinct().ToList();
                if (keys.FirstOrDefault(k => field.Options.All(o => o.Key != k)) is { } unknown)
                {
                    return Fail($"has an unknown option \"{unknown}\"; options: {string.Join(", ", field.Options.Select(o => o.Key))}.");
                }

                // Kept in the order of the options, so equal sets are stored equal.
                var ordered = field.Options.Where(o => keys.Contains(o.Key)).Select(o => (JsonNode?)JsonValue.Create(o.Key)).ToArray();
                return ordered.Length == 0 ? (null, null) : (new JsonArray(ordered), null);
            case CustomFieldType.Url:
                return Text() is not { Length: > 0 } url ? (null, null)
                    : url.Length <= 2048 && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                        ? (JsonValue.Create(url), null)
                        : Fail("must be a full address starting with http:// or https://.");
            case CustomFieldType.Email:
                return Text() is not { Length: > 0 } email ? (null, null)
                    : email.Length <= 254 && MailAddress.TryCreate(email, out var address) && address.Address == email && email.Contains('.', StringComparison.Ordinal)
                        ? (JsonValue.Create(email.ToLowerInvariant()), null)
                        : Fail("must be an email address.");
            case CustomFieldType.Phone:
                if (Text() is not { Length: > 0 } phone)
                {
                    return (null, null);
                }

                try
                {
                    var parsedPhone = Phones.Parse(phone, defaultCountry);
                    if (Phones.IsValidNumber(parsedPhone))
                    {
                        return (JsonValue.Create(Phones.Format(parsedPhone, PhoneNumberFormat.E164)), null);
                    }
                }
                catch (NumberParseException)
                {
                    // reported below
                }

                return Fail($"is not a valid phone number (numbers without +country code are read as {defaultCountry}).");
            case CustomFieldType.Link:
                return Text() is { } link && Guid.TryParse(link, out var id)
                    ? (JsonValue.Create(id.ToString("D")), null)
                    : Fail($"must be the id of a {field.LinkEntityType}.");
            default:
                return Fail("has an unknown type.");
        }
    }

    /// <summary>Date-times are stored in one fixed-width UTC form, so comparing the text compares the instants.</summary>
    public static string StoredInstant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The value's text as the filter language compares it (the same text the database sees).</summary>
    public static object? FilterValue(FieldKind kind, object parsed) => parsed switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => StoredInstant(t),
        Guid g => g.ToString("D"),
        decimal m => (double)m,
        _ => parsed,
    };
}
