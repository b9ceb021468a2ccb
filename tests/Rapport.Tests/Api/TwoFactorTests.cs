using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Rapport.Modules.Identity.Users;
using Rapport.Tests.Infrastructure;

namespace Rapport.Tests.Api;

/// <summary>TOTP two-factor sign-in: set-up, token endpoint, single-use codes, recovery codes, turning off, and the workspace requirement.</summary>
public sealed class TwoFactorTests(Hosts hosts)
{
    private const string OtpRequired = "https://rapport.dev/problems/otp-required";
    private const string SetupRequired = "https://rapport.dev/problems/two-factor-setup-required";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The code of the current time step (<paramref name="steps"/> = 0) or the next one (1), which the server also accepts.</summary>
    private static string Code(string secret, int steps = 0) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * steps));

    /// <summary>A six-digit code valid for none of the accepted time steps.</summary>
    private static string WrongCode(string secret)
    {
        var valid = Enumerable.Range(-2, 5).Select(s => Code(secret, s)).ToHashSet();
        return Enumerable.Range(0, 20).Select(i => (123456 + (i * 111_111)).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)[..6]).First(c => !valid.Contains(c));
    }

    /// <summary>Sets up and turns on two-factor for <paramref name="who"/> with the current code; returns the secret and the recovery codes.</summary>
    private static async Task<(string Secret, List<string> RecoveryCodes)> TurnOnAsync(HttpClient who)
    {
        var setup = await who.PostJsonAsync("/api/v1/me/two-factor/setup", new { password = TestApi.Password });
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        var secret = (await setup.JsonAsync())["secret"]!.GetValue<string>();
        var enabled = await who.PostJsonAsync("/api/v1/me/two-factor/enable", new { code = Code(secret) });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        return (secret, (await enabled.JsonAsync())["recoveryCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList());
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> TokenAsync(RapportFactory factory, string email, string password, string? otp = null)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/token", new { email, password, otp }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task With_two_factor_the_token_needs_a_fresh_code_or_a_recovery_code_once(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var setup = await admin.Client.PostJsonAsync("/api/v1/me/two-factor/setup", new { password = TestApi.Password });
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        var body = await setup.JsonAsync();
        var secret = body["secret"]!.GetValue<string>();
        Assert.StartsWith("otpauth://totp/Rapport:", body["otpAuthUri"]!.GetValue<string>());
        Assert.Contains("secret=" + secret, body["otpAuthUri"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("data:image/png;base64,", body["qrCode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(factory, admin.Email, TestApi.Password)).Status); // not on until confirmed

        var wrongEnable = await admin.Client.PostJsonAsync("/api/v1/me/two-factor/enable", new { code = WrongCode(secret) });
        Assert.Equal(HttpStatusCode.BadRequest, wrongEnable.StatusCode);
        Assert.NotNull((await wrongEnable.JsonAsync())["errors"]!["code"]);
        var enabled = await admin.Client.PostJsonAsync("/api/v1/me/two-factor/enable", new { code = Code(secret) });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var recovery = (await enabled.JsonAsync())["recoveryCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(10, recovery.Distinct().Count());

        var missing = await TokenAsync(factory, admin.Email, TestApi.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal(OtpRequired, missing.Body!["type"]!.GetValue<string>());
        var wrongPassword = await TokenAsync(factory, admin.Email, "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.Status);
        Assert.Equal("https://rapport.dev/problems/unauthorized", wrongPassword.Body!["type"]!.GetValue<string>());
        var wrongCode = await TokenAsync(factory, admin.Email, TestApi.Password, WrongCode(secret));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.Status);
        Assert.Equal(wrongPassword.Body.ToJsonString().Split("\"traceId\"")[0], wrongCode.Body!.ToJsonString().Split("\"traceId\"")[0]);

        var fresh = Code(secret, 1); // the enable step used the current one
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(factory, admin.Email, TestApi.Password, fresh)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(factory, admin.Email, TestApi.Password, fresh)).Status);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(factory, admin.Email, TestApi.Password, recovery[0].ToUpperInvariant())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(factory, admin.Email, TestApi.Password, recovery[0])).Status);

        var status = await (await admin.Client.GetAsync("/api/v1/me/two-factor", Ct)).JsonAsync();
        Assert.True(status["enabled"]!.GetValue<bool>());
        Assert.Equal(9, status["recoveryCodesLeft"]!.GetValue<int>());
        await using var scope = factory.WorkspaceScope(admin.WorkspaceId, out var db);
        var user = await db.Set<User>().SingleAsync(u => u.Id == admin.UserId, Ct);
        Assert.DoesNotContain(secret, user.TwoFactorSecret!, StringComparison.Ordinal);
        Assert.Equal(9, user.RecoveryCodeHashes.Count);
        Assert.DoesNotContain(user.RecoveryCodeHashes, h => recovery.Any(c => h.Contains(c.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)));
        var log = (await (await admin.Client.GetAsync("/api/v1/sign-ins?limit=50", Ct)).JsonAsync())["data"]!.AsArray().Select(a => a!["result"]!.GetValue<string>()).ToList();
        Assert.Contains("otpRequired", log);
        Assert.Contains("wrongOtp", log);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Wrong_codes_count_toward_the_lockout(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (secret, recovery) = await TurnOnAsync(admin.Client);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(factory, admin.Email, TestApi.Password, WrongCode(secret))).Status);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(factory, admin.Email, TestApi.Password, recovery[0])).Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Turning_two_factor_off_needs_the_password_and_a_code(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (secret, recovery) = await TurnOnAsync(admin.Client);

        var noPassword = await admin.Client.PostJsonAsync("/api/v1/me/two-factor/disable", new { code = recovery[0] });
        Assert.Equal(HttpStatusCode.BadRequest, noPassword.StatusCode);
        Assert.NotNull((await noPassword.JsonAsync())["errors"]!["password"]);
        var wrongPassword = await admin.Client.PostJsonAsync("/api/v1/me/two-factor/disable", new { password = "not-the-password", code = recovery[0] });
        Assert.NotNull((await wrongPassword.JsonAsync())["errors"]!["password"]);
        var wrongCode = await admin.Client.PostJsonAsync("/api/v1/me/two-factor/disable", new { password = TestApi.Password, code = WrongCode(secret) });
        Assert.Equal(HttpStatusCode.BadRequest, wrongCode.StatusCode);
        Assert.NotNull((await wrongCode.JsonAsync())["errors"]!["code"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(factory, admin.Email, TestApi.Password)).Status); // still on

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PostJsonAsync("/api/v1/me/two-factor/disable", new { password = TestApi.Password, code = Code(secret, 1) })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(factory, admin.Email, TestApi.Password)).Status);
        Assert.False((await (await admin.Client.GetAsync("/api/v1/me/two-factor", Ct)).JsonAsync())["enabled"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync("/api/v1/me/two-factor/disable", new { password = TestApi.Password, code = recovery[1] })).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Two_factor_settings_belong_to_the_signed_in_person_and_need_a_session(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var other = await factory.SignUpAsync();
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me/two-factor", Ct)).StatusCode);
        foreach (var action in new[] { "setup", "enable", "disable" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostJsonAsync($"/api/v1/me/two-factor/{action}", new { password = TestApi.Password, code = "123456" })).StatusCode);
        }

        var key = await admin.Client.PostJsonAsync("/api/v1/api-keys", new { name = "automation", scope = "admin" });
        var withKey = factory.CreateClient();
        withKey.DefaultRequestHeaders.Authorization = new("Bearer", (await key.JsonAsync())["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await withKey.PostJsonAsync("/api/v1/me/two-factor/setup", new { password = TestApi.Password })).StatusCode);

        var wrong = await admin.Client.PostJsonAsync("/api/v1/me/two-factor/setup", new { password = "not-the-password" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.NotNull((await wrong.JsonAsync())["errors"]!["password"]);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.Client.PostJsonAsync("/api/v1/me/two-factor/enable", new { code = "123456" })).StatusCode);

        await TurnOnAsync(other.Client);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(factory, admin.Email, TestApi.Password)).Status);
        Assert.False((await (await admin.Client.GetAsync("/api/v1/me/two-factor", Ct)).JsonAsync())["enabled"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(factory, other.Email, TestApi.Password)).Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_workspace_requiring_two_factor_refuses_tokens_to_members_without_it_and_sends_browsers_to_set_it_up(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var rep = await factory.InviteAsync(admin, "sales-rep");
        var stranger = await factory.SignUpAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PatchJsonAsync("/api/v1/workspace", new { requireTwoFactor = true }, "*")).StatusCode);
        var patched = await admin.Client.PatchJsonAsync("/api/v1/workspace", new { requireTwoFactor = true }, "*");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.True((await patched.JsonAsync())["requireTwoFactor"]!.GetValue<bool>());
        Assert.True((await (await rep.Client.GetAsync("/api/v1/workspace", Ct)).JsonAsync())["requireTwoFactor"]!.GetValue<bool>());

        var refused = await TokenAsync(factory, rep.Email, TestApi.Password);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(SetupRequired, refused.Body!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(factory, stranger.Email, TestApi.Password)).Status);
        Assert.False((await (await stranger.Client.GetAsync("/api/v1/workspace", Ct)).JsonAsync())["requireTwoFactor"]!.GetValue<bool>());

        var browser = factory.Browser();
        var signedIn = await browser.SubmitPageAsync("/account/signin", "signin", new Dictionary<string, string> { ["Input.Email"] = rep.Email, ["Input.Password"] = TestApi.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/account/two-factor", signedIn.Headers.Location!.PathOf());
        var elsewhere = await browser.GetAsync("/companies", Ct);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.Equal("/account/two-factor", elsewhere.Headers.Location!.PathOf());
        var api = await browser.GetAsync("/api/v1/companies", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal(SetupRequired, (await api.JsonAsync())["type"]!.GetValue<string>());

        var page = await browser.GetAsync("/account/two-factor", Ct);
        Assert.Contains("data-testid=\"two-factor-required\"", await page.HtmlAsync(), StringComparison.Ordinal);
        var setup = await browser.SubmitAsync(await page.HtmlAsync(), "two-factor-setup", new Dictionary<string, string> { ["Start.Password"] = TestApi.Password });
        var html = await setup.HtmlAsync();
        Assert.Contains("src=\"data:image/png;base64,", html, StringComparison.Ordinal);
        var secret = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"two-factor-secret\">([A-Z2-7]+)<").Groups[1].Value;
        var enabled = await browser.SubmitAsync(html, "two-factor-enable", new Dictionary<string, string> { ["Confirm.Code"] = Code(secret) });
        Assert.Contains("data-testid=\"recovery-codes\"", await enabled.HtmlAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/companies", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(factory, rep.Email, TestApi.Password, Code(secret, 1))).Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_browser_asks_for_the_code_on_a_second_step_without_carrying_the_password(string provider)
    {
        var factory = hosts.For(provider);
        var admin = await factory.SignUpAsync();
        var (secret, recovery) = await TurnOnAsync(admin.Client);
        var browser = factory.Browser();

        var first = await browser.SubmitPageAsync("/account/signin", "signin", new Dictionary<string, string> { ["Input.Email"] = admin.Email, ["Input.Password"] = TestApi.Password });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var html = await first.HtmlAsync();
        Assert.Contains("name=\"_handler\" value=\"signin-otp\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain(TestApi.Password, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me", Ct)).StatusCode);

        var wrong = await browser.SubmitAsync(html, "signin-otp", new Dictionary<string, string> { ["Second.Code"] = WrongCode(secret) });
        Assert.Contains("data-testid=\"otp-error\"", await wrong.HtmlAsync(), StringComparison.Ordinal);
        var tampered = await browser.SubmitAsync(html, "signin-otp", new Dictionary<string, string> { ["Second.Ticket"] = "forged", ["Second.Code"] = recovery[0] });
        Assert.Contains("data-testid=\"signin-expired\"", await tampered.HtmlAsync(), StringComparison.Ordinal);

        var right = await browser.SubmitAsync(await wrong.HtmlAsync(), "signin-otp", new Dictionary<string, string> { ["Second.Code"] = Code(secret, 1) });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Joining_another_workspace_with_an_account_that_has_two_factor_needs_the_code(string provider)
    {
        var factory = hosts.For(provider);
        var person = await factory.SignUpAsync();
        var (secret, _) = await TurnOnAsync(person.Client);
        var admin = await factory.SignUpAsync();
        var link = (await (await admin.Client.PostJsonAsync("/api/v1/invitations", new { email = person.Email })).JsonAsync())["link"]!.GetValue<string>();
        var token = link.Split("token=")[1];
        var anonymous = factory.CreateClient();

        var withoutCode = await anonymous.PostJsonAsync("/api/v1/auth/invitations/accept", new { token, password = TestApi.Password });
        Assert.Equal(HttpStatusCode.BadRequest, withoutCode.StatusCode);
        Assert.NotNull((await withoutCode.JsonAsync())["errors"]!["otp"]);
        var withCode = await anonymous.PostJsonAsync("/api/v1/auth/invitations/accept", new { token, password = TestApi.Password, otp = Code(secret, 1) });
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
    }
}
