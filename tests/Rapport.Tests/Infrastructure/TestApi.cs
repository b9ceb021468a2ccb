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

    /// <summary>Invites a new person into the admin's workspace with the named built-in roles and returns their client.</summary>
    public static async Task<Tenant> InviteAsync(this RapportFactory factory, Tenant admin, params string[] builtInRoles)
    {
        var ct = TestContext.Current.CancellationToken;
        var roles = (await (await admin.Client.GetAsync("/api/v1/roles", ct)).JsonAsync()).AsArray();
        var roleIds = builtInRoles.Select(key => roles.Single(r => r!["builtIn"]?.GetValue<string>() == key)!["id"]!.GetValue<string>()).ToArray();
        var email = $"{Guid.NewGuid():N}@example.com";
        var invited = await admin.Client.PostJsonAsync("/api/v1/invitations", new { email, roleIds });
        Assert.Equal(System.Net.HttpStatusCode.Created, invited.StatusCode);
        var link = (await invited.JsonAsync())["link"]!.GetValue<string>();
        var token = link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var client = factory.CreateClient();
        var accepted = await client.PostJsonAsync("/api/v1/auth/invitations/accept", new { token, password = Password, displayName = "Invited " + string.Join('+', builtInRoles) });
        Assert.Equal(System.Net.HttpStatusCode.OK, accepted.StatusCode);
        var body = await accepted.JsonAsync();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body["token"]!.GetValue<string>());
        return new Tenant(client, Guid.Parse(body["userId"]!.GetValue<string>()), admin.WorkspaceId, email, body["token"]!.GetValue<string>());
    }

    /// <summary>A new member holding one new role with these permissions (and field rules).</summary>
    public static async Task<Tenant> MemberWithRoleAsync(this RapportFactory factory, Tenant admin, object permissions, object? fields = null)
    {
        var role = await admin.Client.PostJsonAsync("/api/v1/roles", new { name = "Role " + Guid.NewGuid().ToString("N")[..8], permissions, fields });
        if (role.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException(await role.Content.ReadAsStringAsync());
        }

        var member = await factory.InviteAsync(admin);
        var assign = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{member.UserId}/roles")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { roleIds = new[] { Guid.Parse((await role.JsonAsync())["id"]!.GetValue<string>()) } }),
        };
        (await admin.Client.SendAsync(assign)).EnsureSuccessStatusCode();
        return member;
    }
}
