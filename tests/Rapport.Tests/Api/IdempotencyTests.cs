using System.Net;
using Microsoft.EntityFrameworkCore;
using Rapport.Kernel.Idempotency;
using Rapport.Modules.Customers.Companies;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

public sealed class IdempotencyTests(Hosts hosts)
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Twenty_concurrent_posts_with_one_key_create_one_company(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { name = "Once Only", domain = "once.com" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tenant.Client.PostJsonAsync("/api/v1/companies", body, key)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.Conflict), r => Assert.NotNull(r.Headers.RetryAfter));
        var ids = new HashSet<string>();
        foreach (var created in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            ids.Add((await created.JsonAsync())["id"]!.GetValue<string>());
        }

        Assert.Single(ids);
        var replay = await tenant.Client.PostJsonAsync("/api/v1/companies", body, key);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(ids.Single(), (await replay.JsonAsync())["id"]!.GetValue<string>());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.NotNull(replay.Headers.ETag);
        Assert.NotNull(replay.Headers.Location);

        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        Assert.Equal(1, await db.Set<Company>().CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_same_key_with_another_body_gets_422(string provider)
    {
        var tenant = await hosts.For(provider).SignUpAsync();
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await tenant.Client.PostJsonAsync("/api/v1/companies", new { name = "A" }, key)).StatusCode);
        var reused = await tenant.Client.PostJsonAsync("/api/v1/companies", new { name = "B" }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("https://rapport.dev/problems/idempotency-key-reused", (await reused.JsonAsync())["type"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Keys_are_per_user_and_a_failed_attempt_can_be_retried(string provider)
    {
        var factory = hosts.For(provider);
        var a = await factory.SignUpAsync();
        var b = await factory.SignUpAsync();
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.BadRequest, (await a.Client.PostJsonAsync("/api/v1/companies", new { name = "" }, key)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await b.Client.PostJsonAsync("/api/v1/companies", new { name = "B" }, key)).StatusCode);
        // A 4xx answer is the answer: replayed, not re-run.
        var again = await a.Client.PostJsonAsync("/api/v1/companies", new { name = "" }, key);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_claim_abandoned_by_a_crash_before_any_write_is_taken_over_but_never_one_that_wrote(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        const string body = """{"name":"After the crash"}""";
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("POST /api/v1/companies\n" + body)));
        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-2);
        await using (var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db))
        {
            db.Add(IdempotencyRecord.Claim(tenant.WorkspaceId, tenant.UserId, "crashed-before-write", hash, longAgo));
            var wrote = IdempotencyRecord.Claim(tenant.WorkspaceId, tenant.UserId, "crashed-after-write", hash, longAgo);
            wrote.MarkCommitted();
            db.Add(wrote);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        async Task<HttpResponseMessage> Post(string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/companies") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", key);
            return await tenant.Client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.Created, (await Post("crashed-before-write")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Post("crashed-after-write")).StatusCode);
        await using (var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db))
        {
            Assert.Equal(1, await db.Set<Company>().CountAsync(TestContext.Current.CancellationToken));
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_claim_is_marked_committed_with_the_write_itself(string provider)
    {
        var factory = hosts.For(provider);
        var tenant = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Created, (await tenant.Client.PostJsonAsync("/api/v1/companies", new { name = "Marked" }, "mark-me")).StatusCode);
        await using var scope = factory.WorkspaceScope(tenant.WorkspaceId, out var db);
        var record = await db.Set<IdempotencyRecord>().SingleAsync(r => r.Key == "mark-me", TestContext.Current.CancellationToken);
        Assert.True(record.Committed);
        Assert.True(record.Completed);
        Assert.Equal(201, record.StatusCode);
    }
}
