using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Rapport.Kernel.Api;

/// <summary>
/// Reads request bodies strictly: unknown or system properties (<c>id</c>, <c>workspaceId</c>,
/// <c>createdAt</c>…) are a 400 naming the property, never silently ignored. PATCH bodies are
/// JSON merge patches (RFC 7396) applied over the record's current writable fields.
/// </summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Outcome<T> Read<T>(JsonElement body) where T : class
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Outcome<T>.Invalid("body", "The body must be a JSON object.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body, Strict) is { } value ? Outcome<T>.Ok(value) : Outcome<T>.Invalid("body", "The body is empty.");
        }
        catch (JsonException e)
        {
            return Outcome<T>.Invalid(FieldOf(e), Reason(e));
        }
    }

    /// <summary>Applies a merge patch to <paramref name="current"/>: present properties replace, null clears, nested objects merge.</summary>
    public static Outcome<T> Merge<T>(T current, JsonElement patch) where T : class
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return Outcome<T>.Invalid("body", "The body must be a JSON object (a merge patch).");
        }

        var target = JsonSerializer.SerializeToNode(current, Strict)!.AsObject();
        MergeInto(target, JsonObject.Create(patch)!);
        return Read<T>(JsonSerializer.SerializeToElement(target, Strict));
    }

    /// <summary>The merge patch setting one field (dotted for nested ones, e.g. <c>address.city</c>) to a value; null clears it.</summary>
    public static JsonElement PatchOf(string field, JsonElement? value)
    {
        JsonNode? node = value is { ValueKind: not JsonValueKind.Undefined } v ? JsonNode.Parse(v.GetRawText()) : null;
        foreach (var part in field.Split('.').Reverse())
        {
            node = new JsonObject { [part] = node };
        }

        return JsonSerializer.SerializeToElement(node);
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is JsonObject nested && target[name] is JsonObject existing)
            {
                MergeInto(existing, nested);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static string FieldOf(JsonException e)
    {
        var path = e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "body";
        // "The JSON property 'id' could not be mapped…": the path points at the parent; name the property itself.
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal) && e.Message.Split('\'') is { Length: > 2 } parts)
        {
            return path == "body" ? parts[1] : path.Split('.')[^1] == parts[1] ? path : $"{path}.{parts[1]}";
        }

        return path.Length == 0 ? "body" : path;
    }

    private static string Reason(JsonException e) =>
        e.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "This property is unknown or cannot be written."
            : e.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? "The value has the wrong type."
                : "The JSON is not valid here.";
}
