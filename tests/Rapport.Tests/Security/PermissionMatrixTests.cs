using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rapport.Kernel.Audit;
using Rapport.Kernel.Data;
using Rapport.Kernel.Workspaces;
using Rapport.Modules.Customers.Companies;
using Rapport.Modules.Identity.Invitations;
using Rapport.Modules.Identity.Roles;
using Rapport.Tests.Api;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Security;

/// <summary>
/// Walks every API endpoint the host maps — so new modules are covered the day they add one —
/// as: no token, a revoked key, a read-only key, another workspace's admin, and a member without
/// roles; and checks the refusal and that the workspace's data and audit are unchanged.
/// </summary>
public sealed class PermissionMatrixTests(Hosts hosts)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A valid body per write endpoint, so a refusal proves authorization and not a validation error. A new write endpoint must add one.</summary>
    private static readonly Dictionary<string, object> Bodies = new()
    {
        ["POST /api/v1/companies/"] = new { name = "Matrix Co" },
        ["PATCH /api/v1/companies/{id:guid}"] = new { name = "Matrix Co" },
        ["DELETE /api/v1/companies/{id:guid}"] = new { },
        ["POST /api/v1/companies/{id:guid}/restore"] = new { },
        ["PATCH /api/v1/me"] = new { displayName = "Matrix" },
        ["PATCH /api/v1/workspace"] = new { name = "Matrix" },
        ["PUT /api/v1/members/{userId:guid}/roles"] = new { roleIds = Array.Empty<Guid>() },
        ["POST /api/v1/members/{userId:guid}/deactivate"] = new { },
        ["POST /api/v1/members/{userId:guid}/reactivate"] = new { },
        ["POST /api/v1/invitations/"] = new { email = "matrix@example.com" },
        ["DELETE /api/v1/invitations/{id:guid}"] = new { },
        ["POST /api/v1/roles/"] = new { name = "Matrix role" },
        ["PATCH /api/v1/roles/{id:guid}"] = new { name = "Matrix role" },
        ["DELETE /api/v1/roles/{id:guid}"] = new { },
        ["POST /api/v1/teams/"] = new { name = "Matrix team" },
        ["PATCH /api/v1/teams/{id:guid}"] = new { name = "Matrix team" },
        ["DELETE /api/v1/teams/{id:guid}"] = new { },
        ["POST /api/v1/api-keys/"] = new { name = "Matrix key", scope = "read" },
        ["DELETE /api/v1/api-keys/{id:guid}"] = new { },
        ["POST /api/v1/companies/{id:guid}/shares"] = new { teamId = Guid.Empty, access = "edit" },
        ["POST /api/v1/contacts/"] = new { lastName = "Matrix" },
        ["PATCH /api/v1/contacts/{id:guid}"] = new { lastName = "Matrix" },
        ["DELETE /api/v1/contacts/{id:guid}"] = new { },
        ["POST /api/v1/contacts/{id:guid}/restore"] = new { },
        ["POST /api/v1/contacts/{id:guid}/shares"] = new { teamId = Guid.Empty, access = "edit" },
        ["DELETE /api/v1/contacts/{id:guid}/shares/{shareId:guid}"] = new { },
        ["POST /api/v1/me/two-factor/setup"] = new { password = "correct-horse-battery" },
        ["POST /api/v1/me/email"] = new { email = "moved@example.com", password = "correct-horse-battery" },
        ["POST /api/v1/me/two-factor/enable"] = new { code = "123456" },
        ["POST /api/v1/me/two-factor/disable"] = new { password = "correct-horse-battery", code = "123456" },
        ["DELETE /api/v1/companies/{id:guid}/shares/{shareId:guid}"] = new { },
        ["POST /api/v1/notes/"] = new { html = "<p>Matrix</p>" }, // links to the world's company are added when sent
        ["PATCH /api/v1/notes/{id:guid}"] = new { html = "<p>Matrix</p>" },
        ["DELETE /api/v1/notes/{id:guid}"] = new { },
        ["POST /api/v1/files/"] = new { }, // sent as multipart with a small text file linked to the world's company
        ["POST /api/v1/imports/"] = new { }, // sent as multipart with a small CSV (see MatrixImport)
        ["POST /api/v1/imports/preview"] = new { },
        ["POST /api/v1/imports/{id:guid}/cancel"] = new { },
        ["POST /api/v1/imports/{id:guid}/undo"] = new { },
        ["POST /api/v1/imports/templates/"] = new { entity = "company", name = "Matrix template", mapping = new Dictionary<string, string?> { ["Name"] = "name" } },
        ["DELETE /api/v1/imports/templates/{id:guid}"] = new { },
        ["DELETE /api/v1/files/{id:guid}"] = new { },
        ["POST /api/v1/custom-fields/"] = new { entityType = "contact", key = "matrix", type = "text", label = "Matrix" },
        ["PATCH /api/v1/custom-fields/{id:guid}"] = new { label = "Matrix" },
        ["DELETE /api/v1/custom-fields/{id:guid}"] = new { },
        ["POST /api/v1/views/"] = new { entity = "company", name = "Matrix view" },
        ["PATCH /api/v1/views/{id:guid}"] = new { name = "Matrix view", shared = false },
        ["DELETE /api/v1/views/{id:guid}"] = new { },
        ["POST /api/v1/companies/bulk"] = new { action = "addTags", tags = new[] { "matrix" } },
        ["POST /api/v1/contacts/bulk"] = new { action = "addTags", tags = new[] { "matrix" } },
        // Bodies changing the world's records are built in SendAsync; a caller who may change them gets a per-item result.
        ["POST /api/v1/companies/batch"] = new { },
        ["POST /api/v1/contacts/batch"] = new { },
        ["POST /api/v1/contacts/duplicates"] = new { lastName = "Person" },
        ["POST /api/v1/companies/duplicates"] = new { name = "Protected" },
        // Bodies naming the world's records are built in SendAsync (see RecordBodies).
        ["POST /api/v1/contacts/merge"] = new { },
        ["POST /api/v1/companies/merge"] = new { },
        ["POST /api/v1/duplicates/dismissals"] = new { },
        ["POST /api/v1/pipelines/"] = new
        {
            name = "Matrix pipeline", lostReasons = new[] { new { key = "price", label = "Price" } },
            stages = new[] { new { label = "Open", kind = "open", probability = 10 }, new { label = "Won", kind = "won", probability = 100 }, new { label = "Lost", kind = "lost", probability = 0 } },
        },
        ["PATCH /api/v1/pipelines/{id:guid}"] = new { name = "Matrix pipeline" },
        ["DELETE /api/v1/pipelines/{id:guid}"] = new { },
        ["POST /api/v1/deals/"] = new { name = "Matrix deal" },
        ["PATCH /api/v1/deals/{id:guid}"] = new { name = "Matrix deal" },
        ["DELETE /api/v1/deals/{id:guid}"] = new { },
        ["POST /api/v1/deals/{id:guid}/restore"] = new { },
        ["POST /api/v1/deals/{id:guid}/stage"] = new { }, // names the world's next stage, built in SendAsync
        ["POST /api/v1/deals/{id:guid}/shares"] = new { teamId = Guid.Empty, access = "edit" },
        ["DELETE /api/v1/deals/{id:guid}/shares/{shareId:guid}"] = new { },
        ["POST /api/v1/products/"] = new { sku = "MATRIX-1", name = "Matrix product" },
        ["PATCH /api/v1/products/{id:guid}"] = new { name = "Matrix product" },
        ["DELETE /api/v1/products/{id:guid}"] = new { },
        ["POST /api/v1/products/{id:guid}/restore"] = new { },
        ["POST /api/v1/price-books/"] = new { name = "Matrix book", currency = "USD", isDefault = true },
        ["PATCH /api/v1/price-books/{id:guid}"] = new { name = "Matrix book" },
        ["DELETE /api/v1/price-books/{id:guid}"] = new { },
        ["POST /api/v1/price-books/{id:guid}/restore"] = new { },
        ["PUT /api/v1/price-books/{id:guid}/prices/{productId:guid}"] = new { unitPrice = 1m },
        ["DELETE /api/v1/price-books/{id:guid}/prices/{productId:guid}"] = new { },
        ["POST /api/v1/exchange-rates/"] = new { currency = "JPY", rate = 0.007m, effectiveFrom = "2026-01-01" },
        ["DELETE /api/v1/exchange-rates/{id:guid}"] = new { },
        ["POST /api/v1/quotes/"] = new { }, // names the world's deal, built in SendAsync
        ["PATCH /api/v1/quotes/{id:guid}"] = new { notes = "Matrix" },
        ["DELETE /api/v1/quotes/{id:guid}"] = new { },
        ["POST /api/v1/quotes/{id:guid}/restore"] = new { },
        ["POST /api/v1/quotes/{id:guid}/send"] = new { },
        ["POST /api/v1/quotes/{id:guid}/reject"] = new { },
        ["POST /api/v1/quotes/{id:guid}/revise"] = new { },
        ["POST /api/v1/quotes/{id:guid}/accept"] = new { },
        ["POST /api/v1/orders/"] = new { }, // names the world's deal, built in SendAsync
        ["PATCH /api/v1/orders/{id:guid}"] = new { notes = "Matrix" },
        ["DELETE /api/v1/orders/{id:guid}"] = new { },
        ["POST /api/v1/orders/{id:guid}/restore"] = new { },
        ["POST /api/v1/orders/{id:guid}/status"] = new { status = "confirmed" },
        ["POST /api/v1/contracts/"] = new { }, // names the world's order, built in SendAsync
        ["PATCH /api/v1/contracts/{id:guid}"] = new { name = "Matrix contract" },
        ["DELETE /api/v1/contracts/{id:guid}"] = new { },
        ["POST /api/v1/contracts/{id:guid}/restore"] = new { },
        ["PUT /api/v1/workspace/logo"] = new { }, // an administrator's check comes before the image's
        ["DELETE /api/v1/workspace/logo"] = new { },
        ["POST /api/v1/leads/"] = new { lastName = "Matrix" },
        ["PATCH /api/v1/leads/{id:guid}"] = new { lastName = "Matrix" },
        ["DELETE /api/v1/leads/{id:guid}"] = new { },
        ["POST /api/v1/leads/{id:guid}/restore"] = new { },
        ["POST /api/v1/leads/{id:guid}/convert"] = new { createDeal = true },
        ["POST /api/v1/leads/{id:guid}/convert/undo"] = new { },
        ["POST /api/v1/lead-scoring-rules/"] = new { name = "Matrix rule", filter = new { field = "rating", op = "eq", value = "hot" }, points = 5 },
        ["PATCH /api/v1/lead-scoring-rules/{id:guid}"] = new { points = 7 },
        ["DELETE /api/v1/lead-scoring-rules/{id:guid}"] = new { },
        ["POST /api/v1/lead-assignment-rules/"] = new { }, // names the world's rep, built in SendAsync
        ["PATCH /api/v1/lead-assignment-rules/{id:guid}"] = new { name = "Matrix rule" },
        ["DELETE /api/v1/lead-assignment-rules/{id:guid}"] = new { },
        ["POST /api/v1/quotas/"] = new { userId = Guid.Empty, period = "2026-Q4", amount = 1000m }, // names the rep, built in SendAsync
        ["PATCH /api/v1/quotas/{id:guid}"] = new { amount = 2000m },
        ["DELETE /api/v1/quotas/{id:guid}"] = new { },
    };

    /// <summary>Endpoints whose body, not their path, names the admin's records: members reaching only their own or their team's are refused too.</summary>
    private static readonly HashSet<string> RecordBodies = ["POST /api/v1/contacts/merge", "POST /api/v1/companies/merge", "POST /api/v1/duplicates/dismissals"];

    /// <summary>Endpoints a member acts on for themselves, whatever their roles.</summary>
    private static readonly HashSet<string> SelfService =
        ["PATCH /api/v1/me", "POST /api/v1/me/email", "POST /api/v1/api-keys/", "POST /api/v1/me/two-factor/setup", "POST /api/v1/me/two-factor/enable", "POST /api/v1/me/two-factor/disable"];

    /// <summary>Sensitive reads: they need the export right, which neither a read-only key nor a member without roles has (and a refusal writes no audit row).</summary>
    private static readonly HashSet<string> Exports = ["GET /api/v1/contacts/export", "GET /api/v1/companies/export"];

    private sealed record Endpoint(string Method, string Pattern, bool Anonymous)
    {
        public string Key => $"{Method} {Pattern}";
    }

    private sealed record World(Tenant Admin, Tenant Rep, Guid Company, Guid Role, Guid Team, Guid Invitation, Guid ApiKey, Guid Share, Guid Contact, Guid CustomField,
        Guid Note, Guid File, Guid View, Guid OtherCompany, Guid OtherContact, Guid Import, Guid ImportTemplate, Guid Pipeline, Guid Deal, Guid NextStage,
        Guid Product, Guid PriceBook, Guid ExchangeRate, Guid Quote, Guid Order, Guid Contract, Guid Lead, Guid LeadScoringRule, Guid LeadAssignmentRule, Guid Quota);

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_endpoint_refuses_callers_without_the_right_and_changes_nothing(string provider)
    {
        var factory = hosts.For(provider);
        var endpoints = Endpoints(factory);
        Assert.True(endpoints.Count >= 30, $"only {endpoints.Count} endpoints found");
        Assert.All(Exports, key => Assert.Contains(endpoints, e => e.Key == key));
        var missing = endpoints.Where(e => e.Method != "GET" && !e.Anonymous && !Bodies.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        Assert.True(missing.Count == 0, "Add a sample body for: " + string.Join(", ", missing));

        var world = await BuildWorldAsync(factory);
        var before = await SnapshotAsync(factory, world.Admin.WorkspaceId);

        var revokedKey = await KeyAsync(world.Admin, "admin");
        var keyId = (await (await world.Admin.Client.GetAsync("/api/v1/api-keys", Ct)).JsonAsync()).AsArray()
            .First(k => revokedKey.StartsWith(k!["hint"]!.GetValue<string>(), StringComparison.Ordinal))!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await world.Admin.Client.DeleteAsync($"/api/v1/api-keys/{keyId}", null)).StatusCode);
        var readKey = await KeyAsync(world.Admin, "read");
        var roleless = await factory.InviteAsync(world.Admin);
        var own = await MemberWithLevelAsync(factory, world.Admin, "own");
        var team = await MemberWithLevelAsync(factory, world.Admin, "team");
        var all = await MemberWithLevelAsync(factory, world.Admin, "all");
        await world.Admin.Client.PostJsonAsync("/api/v1/teams", new { name = "Matrix outsiders", memberIds = new[] { team.UserId } });
        var stranger = await factory.SignUpAsync();
        before = await SnapshotAsync(factory, world.Admin.WorkspaceId);

        var failures = new List<string>();
        foreach (var endpoint in endpoints.Where(e => !e.Anonymous))
        {
            var anonymous = await SendAsync(factory.CreateClient(), endpoint, world);
            Expect(failures, endpoint, "no token", anonymous, HttpStatusCode.Unauthorized);
            Expect(failures, endpoint, "revoked key", await SendAsync(Client(factory, revokedKey), endpoint, world), HttpStatusCode.Unauthorized);
            if (endpoint.Method != "GET" || Exports.Contains(endpoint.Key))
            {
                Expect(failures, endpoint, "read-only key", await SendAsync(Client(factory, readKey), endpoint, world), HttpStatusCode.Forbidden);
                if (!SelfService.Contains(endpoint.Key))
                {
                    var status = await SendAsync(roleless.Client, endpoint, world);
                    if ((int)status is >= 200 and < 300)
                    {
                        failures.Add($"{endpoint.Key} as a member without roles: {(int)status}");
                    }
                }
            }

            // Members whose roles reach only their own or their team's records: the admin's record is out of reach.
            if (!SelfService.Contains(endpoint.Key) && (endpoint.Pattern.Contains('{', StringComparison.Ordinal) || AdministrationOnly(endpoint) || RecordBodies.Contains(endpoint.Key)))
            {
                foreach (var (who, level) in new[] { (own, "own"), (team, "team") })
                {
                    var status = await SendAsync(who.Client, endpoint, world);
                    if ((int)status is >= 200 and < 300)
                    {
                        failures.Add($"{endpoint.Key} as a member with level {level}: {(int)status}");
                    }
                }
            }

            // A member with level "all" on every record type is still not an administrator.
            if (AdministrationOnly(endpoint))
            {
                var status = await SendAsync(all.Client, endpoint, world);
                if ((int)status is >= 200 and < 300)
                {
                    failures.Add($"{endpoint.Key} as a non-admin member with level all: {(int)status}");
                }
            }

            var asStranger = await SendAsync(stranger.Client, endpoint, world);
            if (endpoint.Pattern.Contains('{', StringComparison.Ordinal) && (int)asStranger is >= 200 and < 300)
            {
                failures.Add($"{endpoint.Key} as another workspace's admin: {(int)asStranger}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(before, await SnapshotAsync(factory, world.Admin.WorkspaceId));
    }

    private static bool AdministrationOnly(Endpoint endpoint) =>
        endpoint.Pattern.StartsWith("/api/v1/roles", StringComparison.Ordinal)
        || endpoint.Pattern.StartsWith("/api/v1/invitations", StringComparison.Ordinal)
        || endpoint.Pattern.StartsWith("/api/v1/members/{", StringComparison.Ordinal)
        || endpoint.Pattern.StartsWith("/api/v1/teams", StringComparison.Ordinal) && endpoint.Method != "GET"
        || endpoint.Pattern is "/api/v1/access/explain" or "/api/v1/audit" or "/api/v1/sign-ins"
        || endpoint.Key is "PATCH /api/v1/workspace" or "PUT /api/v1/workspace/logo" or "DELETE /api/v1/workspace/logo"
        || endpoint.Pattern.StartsWith("/api/v1/custom-fields", StringComparison.Ordinal) && endpoint.Method != "GET"
        || endpoint.Pattern.EndsWith("/convert/undo", StringComparison.Ordinal);

    /// <summary>A new member holding one custom role that grants every action on every record type at <paramref name="level"/>.</summary>
    private static async Task<Tenant> MemberWithLevelAsync(RapportFactory factory, Tenant admin, string level)
    {
        var actions = new[] { "create", "read", "update", "delete", "export", "import", "massUpdate", "assign" }.ToDictionary(a => a, _ => level);
        var role = await (await admin.Client.PostJsonAsync("/api/v1/roles", new { name = $"Everything at {level}", permissions = new { company = actions } })).JsonAsync();
        var member = await factory.InviteAsync(admin);
        var assign = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/members/{member.UserId}/roles")
        {
            Content = JsonContent.Create(new { roleIds = new[] { Guid.Parse(role["id"]!.GetValue<string>()) } }),
        };
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.SendAsync(assign, Ct)).StatusCode);
        return member;
    }

    private static void Expect(List<string> failures, Endpoint endpoint, string who, HttpStatusCode actual, HttpStatusCode expected)
    {
        if (actual != expected)
        {
            failures.Add($"{endpoint.Key} with {who}: {(int)actual}, expected {(int)expected}");
        }
    }

    private static List<Endpoint> Endpoints(RapportFactory factory) =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new Endpoint(m, e.RoutePattern.RawText!, e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .Distinct()];

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, Endpoint endpoint, World world)
    {
        var path = endpoint.Pattern
            .Replace("/api/v1/companies/{id:guid}", $"/api/v1/companies/{world.Company}", StringComparison.Ordinal)
            .Replace("/api/v1/contacts/{id:guid}", $"/api/v1/contacts/{world.Contact}", StringComparison.Ordinal)
            .Replace("/api/v1/pipelines/{id:guid}", $"/api/v1/pipelines/{world.Pipeline}", StringComparison.Ordinal)
            .Replace("/api/v1/deals/{id:guid}", $"/api/v1/deals/{world.Deal}", StringComparison.Ordinal)
            .Replace("/api/v1/notes/{id:guid}", $"/api/v1/notes/{world.Note}", StringComparison.Ordinal)
            .Replace("/api/v1/files/{id:guid}", $"/api/v1/files/{world.File}", StringComparison.Ordinal)
            .Replace("/api/v1/roles/{id:guid}", $"/api/v1/roles/{world.Role}", StringComparison.Ordinal)
            .Replace("/api/v1/teams/{id:guid}", $"/api/v1/teams/{world.Team}", StringComparison.Ordinal)
            .Replace("/api/v1/invitations/{id:guid}", $"/api/v1/invitations/{world.Invitation}", StringComparison.Ordinal)
            .Replace("/api/v1/api-keys/{id:guid}", $"/api/v1/api-keys/{world.ApiKey}", StringComparison.Ordinal)
            .Replace("/api/v1/custom-fields/{id:guid}", $"/api/v1/custom-fields/{world.CustomField}", StringComparison.Ordinal)
            .Replace("/api/v1/views/{id:guid}", $"/api/v1/views/{world.View}", StringComparison.Ordinal)
            .Replace("/api/v1/imports/{id:guid}", $"/api/v1/imports/{world.Import}", StringComparison.Ordinal)
            .Replace("/api/v1/imports/templates/{id:guid}", $"/api/v1/imports/templates/{world.ImportTemplate}", StringComparison.Ordinal)
            .Replace("/api/v1/products/{id:guid}", $"/api/v1/products/{world.Product}", StringComparison.Ordinal)
            .Replace("/api/v1/price-books/{id:guid}", $"/api/v1/price-books/{world.PriceBook}", StringComparison.Ordinal)
            .Replace("{productId:guid}", world.Product.ToString(), StringComparison.Ordinal)
            .Replace("/api/v1/exchange-rates/{id:guid}", $"/api/v1/exchange-rates/{world.ExchangeRate}", StringComparison.Ordinal)
            .Replace("/api/v1/quotes/{id:guid}", $"/api/v1/quotes/{world.Quote}", StringComparison.Ordinal)
            .Replace("/api/v1/orders/{id:guid}", $"/api/v1/orders/{world.Order}", StringComparison.Ordinal)
            .Replace("/api/v1/contracts/{id:guid}", $"/api/v1/contracts/{world.Contract}", StringComparison.Ordinal)
            .Replace("/api/v1/leads/{id:guid}", $"/api/v1/leads/{world.Lead}", StringComparison.Ordinal)
            .Replace("/api/v1/lead-scoring-rules/{id:guid}", $"/api/v1/lead-scoring-rules/{world.LeadScoringRule}", StringComparison.Ordinal)
            .Replace("/api/v1/lead-assignment-rules/{id:guid}", $"/api/v1/lead-assignment-rules/{world.LeadAssignmentRule}", StringComparison.Ordinal)
            .Replace("/api/v1/quotas/{id:guid}", $"/api/v1/quotas/{world.Quota}", StringComparison.Ordinal)
            .Replace("{userId:guid}", world.Rep.UserId.ToString(), StringComparison.Ordinal)
            .Replace("{shareId:guid}", world.Share.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("{", path, StringComparison.Ordinal);
        if (path == "/api/v1/access/explain")
        {
            path += $"?userId={world.Rep.UserId}&entity=company&id={world.Company}";
        }

        if (path == "/api/v1/search")
        {
            path += "?q=Protected";
        }

        if (path.EndsWith("/price", StringComparison.Ordinal))
        {
            path += "?currency=USD";
        }

        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (endpoint.Method != "GET")
        {
            object? body = endpoint.Key switch
            {
                _ when endpoint.Key.EndsWith("{id:guid}/shares", StringComparison.Ordinal) => new { teamId = world.Team, access = "edit" },
                _ when endpoint.Key.EndsWith("/bulk", StringComparison.Ordinal) => new { ids = new[] { world.Company, world.Contact }, action = "addTags", tags = new[] { "matrix" } },
                "POST /api/v1/companies/batch" => new { items = new object[] { new { id = world.Company, name = "Matrix Co" }, new { name = "Matrix Co" } } },
                "POST /api/v1/contacts/batch" => new { items = new object[] { new { id = world.Contact, lastName = "Matrix" }, new { lastName = "Matrix" } } },
                "POST /api/v1/notes/" => new { html = "<p>Matrix</p>", links = new[] { new { entityType = "company", recordId = world.Company } } },
                "POST /api/v1/contacts/merge" => new { survivorId = world.Contact, mergedIds = new[] { world.OtherContact } },
                "POST /api/v1/companies/merge" => new { survivorId = world.Company, mergedIds = new[] { world.OtherCompany } },
                "POST /api/v1/duplicates/dismissals" => new { entity = "contact", firstId = world.Contact, secondId = world.OtherContact },
                "POST /api/v1/deals/{id:guid}/stage" => new { stageId = world.NextStage },
                "POST /api/v1/quotes/" or "POST /api/v1/orders/" => new { dealId = world.Deal, lines = new[] { new { description = "Matrix", unitPrice = 1m } } },
                "POST /api/v1/contracts/" => new { orderId = world.Order, startDate = "2026-01-01", endDate = "2026-12-31" },
                "POST /api/v1/lead-assignment-rules/" => new { name = "Matrix rule", userId = world.Rep.UserId },
                "POST /api/v1/quotas/" => new { userId = world.Rep.UserId, period = "2026-11", amount = 1000m },
                _ => Bodies.GetValueOrDefault(endpoint.Key),
            };
            request.Content = endpoint.Key switch
            {
                "POST /api/v1/files/" => MatrixUpload(world),
                "POST /api/v1/imports/" or "POST /api/v1/imports/preview" => MatrixImport(),
                _ => JsonContent.Create(body ?? new { }),
            };
            request.Headers.TryAddWithoutValidation("If-Match", "*");
        }

        return (await client.SendAsync(request, Ct)).StatusCode;
    }

    private static MultipartFormDataContent MatrixUpload(World world) => new()
    {
        { new StringContent(JsonSerializer.Serialize(new[] { new { entityType = "company", recordId = world.Company } })), "links" },
        { new ByteArrayContent("matrix"u8.ToArray()), "file", "matrix.txt" },
    };

    /// <summary>A company import that would update the world's company by name, were it allowed.</summary>
    private static MultipartFormDataContent MatrixImport() => new()
    {
        { new ByteArrayContent("Name,Industry\nProtected,Matrix\n"u8.ToArray()), "file", "matrix.csv" },
        { new StringContent("company"), "entity" },
        { new StringContent("upsert"), "mode" },
        { new StringContent("name"), "key" },
    };

    private static async Task<World> BuildWorldAsync(RapportFactory factory)
    {
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var (company, _) = await admin.Client.CreateCompanyAsync(new { name = "Protected" });
        var (duplicate, _) = await admin.Client.CreateCompanyAsync(new { name = "Shared with the rep, Inc." });
        var (trashed, tag) = await admin.Client.CreateCompanyAsync(new { name = "Protected in trash" });
        await admin.Client.DeleteAsync($"/api/v1/companies/{trashed}", tag);
        var role = Id(await (await admin.Client.PostJsonAsync("/api/v1/roles", new { name = "Protected role" })).JsonAsync());
        var team = Id(await (await admin.Client.PostJsonAsync("/api/v1/teams", new { name = "Protected team", memberIds = new[] { rep.UserId } })).JsonAsync());
        var invitation = Id(await (await admin.Client.PostJsonAsync("/api/v1/invitations", new { email = "pending@example.com" })).JsonAsync());
        var key = Id(await (await admin.Client.PostJsonAsync("/api/v1/api-keys", new { name = "Protected key", scope = "write" })).JsonAsync());
        var (shared, _) = await admin.Client.CreateCompanyAsync(new { name = "Shared with the rep" });
        var share = Id(await (await admin.Client.PostJsonAsync($"/api/v1/companies/{shared}/shares", new { userId = rep.UserId, access = "read" })).JsonAsync());
        var contact = Id(await (await admin.Client.PostJsonAsync("/api/v1/contacts", new { firstName = "Protected", lastName = "Person", companyId = shared })).JsonAsync());
        var customField = Id(await (await admin.Client.PostJsonAsync("/api/v1/custom-fields", new { entityType = "company", key = "tier", type = "text", label = "Tier" })).JsonAsync());
        var note = Id(await (await admin.Client.PostJsonAsync("/api/v1/notes", new { html = "<p>Protected</p>", links = new[] { new { entityType = "company", recordId = shared } } })).JsonAsync());
        var file = Id(await (await admin.Client.UploadAsync("protected.txt", "protected"u8.ToArray(), new { entityType = "company", recordId = shared })).JsonAsync());
        // A view the whole workspace sees: changing it needs views.share, which the custom roles here lack.
        var view = Id(await (await admin.Client.PostJsonAsync("/api/v1/views", new { entity = "company", name = "Protected view", shared = true })).JsonAsync());
        var otherContact = Id(await (await admin.Client.PostJsonAsync("/api/v1/contacts", new { firstName = "Protected", lastName = "Person", companyId = shared })).JsonAsync());
        var import = await ImportTests.ImportAsync(admin, "Name\nImported by the admin\n", new Dictionary<string, string> { ["entity"] = "company" }, "companies.csv");
        // A company template: the members with level own or team may import companies, but not delete the admin's template.
        var template = Id(await (await admin.Client.PostJsonAsync("/api/v1/imports/templates",
            new { entity = "company", name = "Protected template", mapping = new Dictionary<string, string?> { ["Name"] = "name" } })).JsonAsync());
        // The default pipeline (unused but for the admin's deal, which a caller allowed to would move to its next stage).
        var pipeline = (await (await admin.Client.GetAsync("/api/v1/pipelines", Ct)).JsonAsync())["data"]![0]!;
        var deal = Id(await (await admin.Client.PostJsonAsync("/api/v1/deals", new { name = "Protected deal", companyId = shared, contacts = new[] { new { contactId = contact } } })).JsonAsync());
        // The sales catalog: a product with a price in the default book, and an exchange rate.
        var product = Id(await (await admin.Client.PostJsonAsync("/api/v1/products", new { sku = "PROTECTED-1", name = "Protected product" })).JsonAsync());
        var book = Id(await (await admin.Client.PostJsonAsync("/api/v1/price-books", new { name = "Protected book", currency = "USD" })).JsonAsync());
        Assert.Equal(HttpStatusCode.Created, (await admin.Client.PutJsonAsync($"/api/v1/price-books/{book}/prices/{product}", new { unitPrice = 10m })).StatusCode);
        var rate = Id(await (await admin.Client.PostJsonAsync("/api/v1/exchange-rates", new { currency = "EUR", rate = 1.1m, effectiveFrom = "2026-01-01" })).JsonAsync());
        // Quotes, orders, contracts on the admin's deal: a draft quote, and an order (from an accepted quote) with a contract.
        var lines = new[] { new { description = "Protected", unitPrice = 10m } };
        var quote = Id(await (await admin.Client.PostJsonAsync("/api/v1/quotes", new { dealId = deal, lines })).JsonAsync());
        var accepted = Id(await (await admin.Client.PostJsonAsync("/api/v1/quotes", new { dealId = deal, lines })).JsonAsync());
        var order = Id(await (await admin.Client.PostJsonAsync($"/api/v1/quotes/{accepted}/accept", new { })).JsonAsync());
        var contract = Id(await (await admin.Client.PostJsonAsync("/api/v1/contracts", new { orderId = order, startDate = "2026-01-01", endDate = "2026-12-31" })).JsonAsync());
        // A lead with a company and an email, so a conversion allowed by mistake would create or link records; and one rule of each kind.
        var lead = Id(await (await admin.Client.PostJsonAsync("/api/v1/leads", new { lastName = "Protected lead", companyName = "Protected", emails = new[] { "lead@protected.example" } })).JsonAsync());
        var scoringRule = Id(await (await admin.Client.PostJsonAsync("/api/v1/lead-scoring-rules", new { name = "Protected rule", filter = new { field = "rating", op = "eq", value = "hot" }, points = 5 })).JsonAsync());
        var assignmentRule = Id(await (await admin.Client.PostJsonAsync("/api/v1/lead-assignment-rules", new { name = "Protected rule", userId = admin.UserId })).JsonAsync());
        // The rep's quota: only those who manage quotas may change it.
        var quota = Id(await (await admin.Client.PostJsonAsync("/api/v1/quotas", new { userId = rep.UserId, period = "2026-Q4", amount = 1000m })).JsonAsync());
        return new World(admin, rep, shared, role, team, invitation, key, share, contact, customField, note, file, view, duplicate, otherContact, Id(import), template,
            Id(pipeline), deal, Guid.Parse(pipeline["stages"]![1]!["id"]!.GetValue<string>()), product, book, rate, quote, order, contract, lead, scoringRule, assignmentRule, quota);
    }

    private static Guid Id(System.Text.Json.Nodes.JsonNode node) => Guid.Parse(node["id"]!.GetValue<string>());

    private static async Task<string> KeyAsync(Tenant who, string scope) =>
        (await (await who.Client.PostJsonAsync("/api/v1/api-keys", new { name = scope, scope })).JsonAsync())["key"]!.GetValue<string>();

    private static HttpClient Client(RapportFactory factory, string bearer)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    private static async Task<string> SnapshotAsync(RapportFactory factory, Guid workspaceId)
    {
        await using var scope = factory.WorkspaceScope(workspaceId, out var db);
        var state = new
        {
            workspace = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => new { w.Name, w.Version, w.LogoContentType }).SingleAsync(Ct),
            companies = await db.Set<Company>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.Name, c.Version, c.DeletedAt, c.MergedIntoId, c.OwnerId, c.TeamId }).ToListAsync(Ct),
            contacts = await db.Set<Rapport.Modules.Customers.Contacts.Contact>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.LastName, c.Version, c.DeletedAt, c.MergedIntoId }).ToListAsync(Ct),
            roles = await db.Set<Role>().OrderBy(r => r.Id).Select(r => new { r.Id, r.Name, r.Version }).ToListAsync(Ct),
            memberships = await db.Memberships.OrderBy(m => m.UserId).Select(m => new { m.UserId, m.DeactivatedAt }).ToListAsync(Ct),
            memberRoles = await db.Set<MembershipRole>().OrderBy(m => m.UserId).ThenBy(m => m.RoleId).Select(m => new { m.UserId, m.RoleId }).ToListAsync(Ct),
            teams = await db.Set<Team>().OrderBy(t => t.Id).Select(t => new { t.Id, t.Name, t.Version }).ToListAsync(Ct),
            notes = await db.Set<Rapport.Modules.Collaboration.Notes.Note>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(n => n.Id)
                .Select(n => new { n.Id, n.Html, n.Version, n.DeletedAt }).ToListAsync(Ct),
            files = await db.Set<Rapport.Modules.Collaboration.Files.StoredFile>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(f => f.Id)
                .Select(f => new { f.Id, f.Version, f.DeletedAt }).ToListAsync(Ct),
            activityLinks = await db.Set<Rapport.Modules.Collaboration.Activities.ActivityLink>().CountAsync(Ct),
            views = await db.Set<Rapport.Kernel.Views.SavedView>().OrderBy(v => v.Id).Select(v => new { v.Id, v.Name, v.Shared, v.Version }).ToListAsync(Ct),
            shares = await db.Set<Rapport.Kernel.Security.Sharing.RecordShare>().OrderBy(s => s.Id).Select(s => new { s.Id, s.Access }).ToListAsync(Ct),
            dismissals = await db.Set<Rapport.Modules.Customers.Duplicates.DuplicateDismissal>().CountAsync(Ct),
            teamMembers = await db.Set<TeamMember>().OrderBy(t => t.TeamId).ThenBy(t => t.UserId).Select(t => new { t.TeamId, t.UserId }).ToListAsync(Ct),
            invitations = await db.Set<Invitation>().OrderBy(i => i.Id).Select(i => new { i.Id, i.RevokedAt, i.AcceptedAt }).ToListAsync(Ct),
            customFields = await db.Set<Rapport.Kernel.CustomFields.CustomField>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(f => f.Id)
                .Select(f => new { f.Id, f.Label, f.Version, f.DeletedAt }).ToListAsync(Ct),
            audit = await db.Set<AuditEntry>().CountAsync(Ct),
            importTemplates = await db.Set<Rapport.Kernel.Imports.ImportTemplate>().OrderBy(t => t.Id).Select(t => new { t.Id, t.Name, t.Version }).ToListAsync(Ct),
            imports = await db.Set<Rapport.Kernel.Imports.Import>().OrderBy(i => i.Id).Select(i => new { i.Id, i.UndoJobId }).ToListAsync(Ct),
            jobs = await db.Set<Rapport.Kernel.Jobs.BackgroundJob>().OrderBy(j => j.Id).Select(j => new { j.Id, j.Status, j.CancelRequested }).ToListAsync(Ct),
            pipelines = await db.Set<Rapport.Modules.Sales.Pipelines.Pipeline>().OrderBy(p => p.Id).Select(p => new { p.Id, p.Name, p.Version }).ToListAsync(Ct),
            stages = await db.Set<Rapport.Modules.Sales.Pipelines.PipelineStage>().OrderBy(s => s.Id).Select(s => new { s.Id, s.Label, s.Position, s.RetiredAt }).ToListAsync(Ct),
            deals = await db.Set<Rapport.Modules.Sales.Deals.Deal>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(d => d.Id)
                .Select(d => new { d.Id, d.Name, d.StageId, d.Version, d.DeletedAt, d.OwnerId }).ToListAsync(Ct),
            dealVisits = await db.Set<Rapport.Modules.Sales.Deals.DealStageVisit>().CountAsync(Ct),
            products = await db.Set<Rapport.Modules.Sales.Products.Product>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(p => p.Id)
                .Select(p => new { p.Id, p.Name, p.Version, p.DeletedAt }).ToListAsync(Ct),
            priceBooks = await db.Set<Rapport.Modules.Sales.Products.PriceBook>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(b => b.Id)
                .Select(b => new { b.Id, b.Name, b.IsDefault, b.Version, b.DeletedAt }).ToListAsync(Ct),
            prices = await db.Set<Rapport.Modules.Sales.Products.ProductPrice>().OrderBy(p => p.Id).Select(p => new { p.Id, p.UnitPrice, p.Version }).ToListAsync(Ct),
            exchangeRates = await db.Set<Rapport.Modules.Sales.Currency.ExchangeRate>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(r => r.Id)
                .Select(r => new { r.Id, r.Version, r.DeletedAt }).ToListAsync(Ct),
            quotes = await db.Set<Rapport.Modules.Sales.Quotes.Quote>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(q => q.Id)
                .Select(q => new { q.Id, q.Status, q.Version, q.DeletedAt }).ToListAsync(Ct),
            orders = await db.Set<Rapport.Modules.Sales.Orders.Order>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(o => o.Id)
                .Select(o => new { o.Id, o.Status, o.Version, o.DeletedAt }).ToListAsync(Ct),
            contracts = await db.Set<Rapport.Modules.Sales.SalesContracts.Contract>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.Name, c.Version, c.DeletedAt }).ToListAsync(Ct),
            leads = await db.Set<Rapport.Modules.Sales.Leads.Lead>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(l => l.Id)
                .Select(l => new { l.Id, l.LastName, l.Status, l.Version, l.DeletedAt, l.OwnerId }).ToListAsync(Ct),
            leadRules = await db.Set<Rapport.Modules.Sales.Leads.LeadScoringRule>().OrderBy(r => r.Id).Select(r => new { r.Id, r.Version }).ToListAsync(Ct),
            leadAssignment = await db.Set<Rapport.Modules.Sales.Leads.LeadAssignmentRule>().OrderBy(r => r.Id).Select(r => new { r.Id, r.Version }).ToListAsync(Ct),
            quotas = await db.Set<Rapport.Modules.Sales.Quotas.Quota>().IgnoreQueryFilters([RapportDbContext.TrashFilter]).OrderBy(q => q.Id)
                .Select(q => new { q.Id, q.Amount, q.Version, q.DeletedAt }).ToListAsync(Ct),
            searchIndex = await db.Set<Rapport.Kernel.Search.SearchEntry>().OrderBy(e => e.RecordId).ThenBy(e => e.Field).Select(e => e.Text).ToListAsync(Ct),
        };
        return JsonSerializer.Serialize(state);
    }
}
