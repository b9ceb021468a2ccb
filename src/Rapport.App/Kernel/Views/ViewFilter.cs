using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rapport.Kernel.Views;

/// <summary>One condition the list pages' filter builder shows as a chip: field, operator and a text value.</summary>
public sealed record FilterCondition(string Field, string Op, string? Value)
{
    public const string IsNull = "isNull";
    public const string IsNotNull = "isNotNull";

    public bool TakesValue => Op is not (IsNull or IsNotNull);

    public JsonObject ToJson() => TakesValue
        ? new JsonObject { ["field"] = Field, ["op"] = Op, ["value"] = Value }
        : new JsonObject { ["field"] = Field, ["op"] = Op };
}

/// <summary>
/// Turns a stored filter tree into the builder's chips and back. The builder combines its conditions with
/// "and"; parts of a tree it cannot show as chips (an "or", a number, a list) are kept as they are.
/// </summary>
public static class ViewFilter
{
    public static (List<FilterCondition> Conditions, List<JsonNode> Kept) Split(JsonElement? filter)
    {
        var conditions = new List<FilterCondition>();
        var kept = new List<JsonNode>();
        if (filter is not { ValueKind: JsonValueKind.Object } tree)
        {
            return (conditions, kept);
        }

        var parts = tree.TryGetProperty("and", out var and) && and.ValueKind == JsonValueKind.Array && tree.EnumerateObject().Count() == 1
            ? [.. and.EnumerateArray()]
            : new List<JsonElement> { tree };
        foreach (var part in parts)
        {
            if (AsCondition(part) is { } condition)
            {
                conditions.Add(condition);
            }
            else
            {
                kept.Add(JsonNode.Parse(part.GetRawText())!);
            }
        }

        return (conditions, kept);
    }

    /// <summary>The tree of all parts joined with "and"; null when there are none.</summary>
    public static string? Join(IEnumerable<FilterCondition> conditions, IEnumerable<JsonNode> kept, params JsonNode?[] more)
    {
        var parts = conditions.Select(c => (JsonNode)c.ToJson()).Concat(kept.Select(k => k.DeepClone())).Concat(more.OfType<JsonNode>()).ToList();
        return parts.Count switch
        {
            0 => null,
            1 => parts[0].ToJsonString(),
            _ => new JsonObject { ["and"] = new JsonArray([.. parts]) }.ToJsonString(),
        };
    }

    private static FilterCondition? AsCondition(JsonElement node)
    {
        if (node.ValueKind != JsonValueKind.Object || node.EnumerateObject().Any(p => p.Name is not ("field" or "op" or "value"))
            || !node.TryGetProperty("field", out var field) || field.ValueKind != JsonValueKind.String
            || !node.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var hasValue = node.TryGetProperty("value", out var value);
        return op.GetString() is FilterCondition.IsNull or FilterCondition.IsNotNull
            ? new FilterCondition(field.GetString()!, op.GetString()!, null)
            : hasValue && value.ValueKind == JsonValueKind.String ? new FilterCondition(field.GetString()!, op.GetString()!, value.GetString()) : null;
    }
}
