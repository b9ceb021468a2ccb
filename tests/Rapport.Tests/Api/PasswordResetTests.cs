using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Rapport.Modules.Identity.PasswordReset;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>Password reset by emailed link: no account enumeration, public base URL only, single use, one hour, other sessions end.</summary>
public sealed class PasswordResetTests(Hosts hosts)
{
    private const string NewPassword = "a-brand-new-passphrase";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> ResetTokenFromMailAsync(string email)
    {
        var message = await TestMail.WaitForAsync(email);
        var link = System.Text.RegularExpressions.Regex.Match(message.TextBody ?? "", @"\S+/account/reset\?token=\S+").Value;
        Assert.StartsWith(RapportFactory.PublicBaseUrl + "/account/reset?token=", link);
        return link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];
    }

    private static async Task<HttpStatusCode> TokenStatusAsync(RapportFactory factory, string email, string password) =>
        (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password }, Ct)).StatusCode;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Asking_for_a_reset_answers_the_same_for_known_and_unknown_emails(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var anonymous = factory.CreateClient();
        var unknownEmail = $"{Guid.NewGuid():N}@example.com";

        var known = await anonymous.PostJsonAsync("/api/v1/auth/password-reset", new { email = admin.Email });
        var unknown = await anonymous.PostJsonAsync("/api/v1/auth/password-reset", new { email = unknownEmail });

        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(await known.Content.ReadAsStringAsync(Ct), await unknown.Content.ReadAsStringAsync(Ct));
        await TestMail.WaitForAsync(admin.Email);
        Assert.Empty(TestMail.Find(unknownEmail));

        var invalid = await anonymous.PostJsonAsync("/api/v1/auth/password-reset", new { email = "not an email" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull((await invalid.JsonAsync())["errors"]!["email"]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_reset_link_uses_the_public_base_url_never_a_forged_host_header(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/password-reset") { Content = JsonContent.Create(new { email = admin.Email }) };
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil.example");

        Assert.Equal(HttpStatusCode.Accepted, (await factory.CreateClient().SendAsync(request, Ct)).StatusCode);

        var message = await TestMail.WaitForAsync(admin.Email);
        Assert.DoesNotContain("evil.example", message.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Reset your Rapport password", message.Subject);
        await ResetTokenFromMailAsync(admin.Email);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_link_sets_the_password_once_and_ends_the_other_sessions_but_not_api_keys(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var other = await factory.SignUpAsync();
        var keyResponse = await admin.Client.PostJsonAsync("/api/v1/api-keys", new { name = "integration", scope = "read" });
        var apiKey = factory.CreateClient();
        apiKey.DefaultRequestHeaders.Authorization = new("Bearer", (await keyResponse.JsonAsync())["key"]!.GetValue<string>());
        var browser = factory.Browser();
        var signedIn = await browser.SubmitPageAsync("/account/signin", "signin", new Dictionary<string, string> { ["Input.Email"] = admin.Email, ["Input.Password"] = TestApi.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await factory.CreateClient().PostJsonAsync("/api/v1/auth/password-reset", new { email = admin.Email })).StatusCode);
        var token = await ResetTokenFromMailAsync(admin.Email);
        var anonymous = factory.CreateClient();

        var weak = await anonymous.PostJsonAsync("/api/v1/auth/password-reset/confirm", new { token, password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.NotNull((await weak.JsonAsync())["errors"]!["password"]);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostJsonAsync("/api/v1/auth/password-reset/confirm", new { token, password = NewPassword })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await apiKey.GetAsync("/api/v1/companies", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(factory, admin.Email, TestApi.Password));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(factory, admin.Email, NewPassword));

        var again = await anonymous.PostJsonAsync("/api/v1/auth/password-reset/confirm", new { token, password = "yet-another-passphrase" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.NotNull((await again.JsonAsync())["errors"]!["token"]);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(factory, admin.Email, NewPassword));

        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var stored = await db.Set<PasswordResetToken>().Where(t => t.UserId == admin.UserId).ToListAsync(Ct);
        var row = Assert.Single(stored);
        Assert.NotEqual(token, row.TokenHash);
        Assert.Equal(PasswordResetToken.Lifetime, row.ExpiresAt - row.CreatedAt);
        Assert.NotNull(row.UsedAt);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_expired_link_no_longer_works(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await factory.CreateClient().PostJsonAsync("/api/v1/auth/password-reset", new { email = admin.Email })).StatusCode);
        var token = await ResetTokenFromMailAsync(admin.Email);
        await using (var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db))
        {
            var row = await db.Set<PasswordResetToken>().SingleAsync(t => t.UserId == admin.UserId, Ct);
            db.Entry(row).Property(t => t.ExpiresAt).CurrentValue = DateTimeOffset.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync(Ct);
        }

        var expired = await factory.CreateClient().PostJsonAsync("/api/v1/auth/password-reset/confirm", new { token, password = NewPassword });

        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.NotNull((await expired.JsonAsync())["errors"]!["token"]);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(factory, admin.Email, TestApi.Password));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_forgot_and_reset_pages_change_the_password(string provider)
    {
        TestMail.RequireAvailable();
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var browser = factory.Browser();
        var signIn = await (await browser.GetAsync("/account/signin", Ct)).HtmlAsync();
        Assert.Contains("href=\"/account/forgot\"", signIn, StringComparison.Ordinal);

        var sent = await browser.SubmitPageAsync("/account/forgot", "forgot", new Dictionary<string, string> { ["Input.Email"] = admin.Email });
        Assert.Contains("data-testid=\"reset-link-sent\"", await sent.HtmlAsync(), StringComparison.Ordinal);
        var token = await ResetTokenFromMailAsync(admin.Email);

        var differ = await browser.SubmitPageAsync($"/account/reset?token={token}", "reset",
            new Dictionary<string, string> { ["Input.Password"] = NewPassword, ["Input.Repeat"] = NewPassword + "x" });
        Assert.Contains("data-testid=\"error-repeat\"", await differ.HtmlAsync(), StringComparison.Ordinal);
        var done = await browser.SubmitAsync(await differ.HtmlAsync(), "reset",
            new Dictionary<string, string> { ["Input.Password"] = NewPassword, ["Input.Repeat"] = NewPassword });
        Assert.Contains("data-testid=\"password-changed\"", await done.HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(factory, admin.Email, NewPassword));

        var reused = await browser.SubmitPageAsync($"/account/reset?token={token}", "reset",
            new Dictionary<string, string> { ["Input.Password"] = NewPassword, ["Input.Repeat"] = NewPassword });
        Assert.Contains("data-testid=\"error-token\"", await reused.HtmlAsync(), StringComparison.Ordinal);
    }
}
