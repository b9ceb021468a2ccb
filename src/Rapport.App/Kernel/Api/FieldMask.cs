using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rapport.Kernel.Security;

namespace Rapport.Kernel.Api;

/// <summary>Removes the fields the caller may not see from an API answer, so hidden fields are absent, not just empty.</summary>
public static class FieldMask
{
    public static IResult Json<T>(HttpContext http, T value, FieldPolicy policy, int status = StatusCodes.Status200OK)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        if (policy.Hidden.Count == 0)
        {
            return TypedResults.Json(value, options, statusCode: status);
        }

        var node = JsonSerializer.SerializeToNode(value, options);
        Strip(node, policy);
        return TypedResults.Json(node, options, statusCode: status);
    }

    private static void Strip(JsonNode? node, FieldPolicy policy)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).Where(policy.IsHidden).ToList())
                {
                    obj.Remove(name);
                }

                // Custom field values sit in a nested object and are restricted as "custom.key".
                if (obj["custom"] is JsonObject custom)
                {
                    foreach (var key in custom.Select(p => p.Key).Where(k => policy.IsHidden(CustomFields.CustomFieldSet.Prefix + k)).ToList())
                    {
                        custom.Remove(key);
                    }
                }

                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    Strip(child, policy);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strip(item, policy);
                }

                break;
            default:
                break;
        }
    }
}
