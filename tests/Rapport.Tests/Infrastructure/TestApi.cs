using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rapport.Tests.Infrastructure;

/// <summary>A signed-up workspace and an HTTP client carrying its admin's token.</summary>
public sealed record Tenant(HttpClient Client, Guid UserId, Guid WorkspaceId, string Email, string Token);

public static class TestApi
{
    public const string Password = "correct-horse-battery";

    public static async Task<Tenant> SignUpAsync(this RapportFactory factory, string? workspace = null)
    {
        var client = factory.CreateClient();
        var email = $"{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/v1/auth/signup",
            new { workspaceName = workspace ?? "Workspace " + Guid.NewGuid().ToString("N")[..6], email, password = Password, displayName = "Test Admin" },
            TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var token = body.GetProperty("token").GetString()!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new Tenant(client, body.GetProperty("userId").GetGuid(), body.GetProperty("workspaceId").GetGuid(), email, token);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string url, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, url);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

    public static async Task<(Guid Id, string ETag)> CreateCompanyAsync(this HttpClient client, object body)
    {
        var response = await client.PostJsonAsync("/api/v1/companies", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var json = await response.JsonAsync();
        return (Guid.Parse(json["id"]!.GetValue<string>()), response.Headers.ETag!.Tag);
    }
}
