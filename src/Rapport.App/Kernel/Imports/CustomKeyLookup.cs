using System.Text.Json.Nodes;
using Rapport.Kernel.CustomFields;

namespace Rapport.Kernel.Imports;

/// <summary>Rows matched by a unique custom field: the cell in the field's stored form, and the record holding it.</summary>
public static class CustomKeyLookup
{
    /// <summary>The stored form of the row's value of the custom key (as JSON text), or null when the row has none or it does not read.</summary>
    public static string? KeyOf(CustomFieldSet custom, ImportScope scope, ImportRow row)
    {
        if (!scope.Key.StartsWith(CustomFieldSet.Prefix, StringComparison.Ordinal) || custom.Find(scope.Key[CustomFieldSet.Prefix.Length..]) is not { } field
            || row[scope.Key] is not { } text)
        {
            return null;
        }

        var (value, error) = ImportValues.Custom(field, text);
        return error is null && CustomFieldKinds.Normalize(field, value, scope.DefaultCountry) is ({ } stored, null) ? stored.ToJsonString() : null;
    }

    public static async Task<IReadOnlyDictionary<string, Guid>> FindAsync(CustomFieldSet custom, ImportScope scope, IReadOnlyCollection<string> keyValues, CancellationToken ct)
    {
        var found = new Dictionary<string, Guid>();
        var field = custom.Find(scope.Key[CustomFieldSet.Prefix.Length..])!;
        foreach (var key in keyValues)
        {
            if (JsonNode.Parse(key) is JsonValue value && await CustomFieldRecords.HolderAsync(scope.Db, custom.EntityType, field, value, ct) is { } id)
            {
                found[key] = id;
            }
        }

        return found;
    }
}
