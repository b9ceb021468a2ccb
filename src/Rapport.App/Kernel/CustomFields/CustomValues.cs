using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rapport.Kernel.CustomFields;

/// <summary>Reads and writes the JSON object of custom values a record keeps (key → stored value).</summary>
public static class CustomValues
{
    public const string Empty = "{}";

    public static JsonObject Parse(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonNode.Parse(json) as JsonObject ?? [];

    public static string Write(JsonObject values) => values.ToJsonString();

    /// <summary>The in-memory twin of <see cref="CustomFieldSql"/>: the value as the database compares it (text, number or yes/no).</summary>
    public static object? Read(string? json, CustomField field)
    {
        if (Parse(json)[field.Key] is not JsonValue value)
        {
            return null;
        }

        return CustomFieldKinds.IsNumeric(field.Type) ? value.TryGetValue<decimal>(out var d) ? (double)d : null
            : field.Type == CustomFieldType.YesNo ? value.TryGetValue<bool>(out var b) ? b : null
            : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
    }
}
