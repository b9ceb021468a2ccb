using System.Net;
using System.Text.Json.Nodes;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Sales;

/// <summary>Leads and their rules through the API, for the lead tests.</summary>
internal static class LeadApi
{
    public static async Task<(Guid Id, string ETag, JsonNode Body)> CreateLeadAsync(this HttpClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/v1/leads", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var json = await response.JsonAsync();
        return (Guid.Parse(json["id"]!.GetValue<string>()), response.Headers.ETag!.Tag, json);
    }

    public static async Task<Guid> CreateRuleAsync(this HttpClient client, string kind, object body)
    {
        var response = await client.PostJsonAsync($"/api/v1/lead-{kind}-rules", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return Guid.Parse((await response.JsonAsync())["id"]!.GetValue<string>());
    }

    public static Task<HttpResponseMessage> ConvertAsync(this HttpClient client, Guid lead, object? body = null) =>
        client.PostJsonAsync($"/api/v1/leads/{lead}/convert", body ?? new { });

    public static object Condition(string field, string op, object value) => new { field, op, value };

    public static Guid Id(this JsonNode node, string name) => Guid.Parse(node[name]!.GetValue<string>());
}
