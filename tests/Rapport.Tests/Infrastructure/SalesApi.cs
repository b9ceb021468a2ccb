using System.Net;
using System.Text.Json.Nodes;

namespace Rapport.Tests.Infrastructure;

/// <summary>Pipelines and deals through the API, for the sales tests.</summary>
public static class SalesApi
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<JsonArray> PipelinesAsync(this HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/pipelines", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["data"]!.AsArray();
    }

    /// <summary>The default pipeline: its id, and its stage ids by key.</summary>
    public static async Task<(Guid Id, Dictionary<string, Guid> Stages)> DefaultPipelineAsync(this HttpClient client)
    {
        var pipeline = (await client.PipelinesAsync())[0]!;
        return (Guid.Parse(pipeline["id"]!.GetValue<string>()),
            pipeline["stages"]!.AsArray().ToDictionary(s => s!["key"]!.GetValue<string>(), s => Guid.Parse(s!["id"]!.GetValue<string>())));
    }

    public static async Task<(Guid Id, string ETag, JsonNode Body)> CreateDealAsync(this HttpClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/v1/deals", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var json = await response.JsonAsync();
        return (Guid.Parse(json["id"]!.GetValue<string>()), response.Headers.ETag!.Tag, json);
    }

    public static Task<HttpResponseMessage> MoveDealAsync(this HttpClient client, Guid deal, Guid stage, string? lostReason = null) =>
        client.PostJsonAsync($"/api/v1/deals/{deal}/stage", lostReason is null ? new { stageId = stage } : new { stageId = stage, lostReason });

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.JsonAsync();
    }
}
