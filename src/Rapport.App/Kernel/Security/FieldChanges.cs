using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rapport.Kernel.Security;

/// <summary>Which restricted fields a change alters, comparing the writable fields as the API names them.</summary>
public static class FieldChanges
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<string> Restricted<T>(T before, T after, FieldPolicy policy, IEnumerable<string> fields)
    {
        if (policy.Hidden.Count == 0 && policy.ReadOnly.Count == 0)
        {
            return []; // every field may be edited: nothing to compare
        }

        var a = JsonSerializer.SerializeToNode(before, Json)!.AsObject();
        var b = JsonSerializer.SerializeToNode(after, Json)!.AsObject();
        return [.. fields.Where(f => !policy.CanEdit(f) && !JsonNode.DeepEquals(a[f], b[f]))];
    }
}
