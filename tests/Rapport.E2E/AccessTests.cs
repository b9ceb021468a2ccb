using System.Text.Json;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>An admin invites a sales rep through the invitation page, then checks with "view as" that the rep sees only their own companies.</summary>
public sealed class AccessTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Admin_invites_a_rep_and_views_the_companies_as_the_rep_in_both_languages()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Ada Admin"));
        var companies = new CompaniesPage(Page);
        await companies.SeedAsync(new NewCompany("Admin's account"));

        var roles = JsonDocument.Parse(await (await Page.APIRequest.GetAsync("/api/v1/roles")).TextAsync()).RootElement;
        var repRole = roles.EnumerateArray().Single(r => r.GetProperty("builtIn").GetString() == "sales-rep").GetProperty("id").GetString();
        var invite = await Page.APIRequest.PostAsync("/api/v1/invitations", new() { DataObject = new { email = $"rep-{Guid.NewGuid():N}@example.com", roleIds = new[] { repRole } } });
        Assert.Equal(201, invite.Status);
        var link = new Uri(JsonDocument.Parse(await invite.TextAsync()).RootElement.GetProperty("link").GetString()!);

        var rep = await NewBrowserPageAsync();
        await rep.GotoAsync(link.PathAndQuery);
        await ScreenshotAsync(rep, "invitation");
        await rep.Locator("#displayName").FillAsync("Rita Rep");
        await rep.Locator("#password").FillAsync("rep-password-123");
        await rep.GetByTestId("invite-submit").ClickAsync();
        await Expect(rep).ToHaveURLAsync(Accounts.CompaniesUrl());
        var created = await rep.APIRequest.PostAsync("/api/v1/companies", new() { DataObject = new { name = "Rita's account" } });
        Assert.Equal(201, created.Status);
        var repId = JsonDocument.Parse(await (await rep.APIRequest.GetAsync("/api/v1/me")).TextAsync()).RootElement.GetProperty("id").GetString();

        await Page.GotoAsync($"/companies?viewAs={repId}");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("view-as-banner")).ToContainTextAsync("Rita Rep");
        await Expect(companies.Rows).ToHaveCountAsync(1);
        await Expect(companies.Row("Rita's account")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("new-company")).ToBeDisabledAsync();
        await ScreenshotAsync("view-as");

        await Page.GotoAsync($"/account/language?culture=zh-Hans&returnUrl={Uri.EscapeDataString($"/companies?viewAs={repId}")}");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("view-as-banner")).ToContainTextAsync("正在以");
        await Expect(companies.Rows).ToHaveCountAsync(1);
        await ScreenshotAsync("view-as-chinese");

        await Page.GotoAsync("/companies");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(companies.Rows).ToHaveCountAsync(2);

        await rep.GotoAsync($"/companies?viewAs={repId}");
        await Accounts.WaitForInteractiveAsync(rep);
        await Expect(rep.GetByTestId("view-as-banner")).ToHaveCountAsync(0);
        await rep.GotoAsync("/settings/members");
        await Accounts.WaitForInteractiveAsync(rep);
        await ScreenshotAsync(rep, "rep-members");
        await Expect(rep.GetByTestId("nav-admin")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Deactivating_a_member_ends_their_open_browser_session_within_seconds()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Ada Admin"));
        var roles = JsonDocument.Parse(await (await Page.APIRequest.GetAsync("/api/v1/roles")).TextAsync()).RootElement;
        var repRole = roles.EnumerateArray().Single(r => r.GetProperty("builtIn").GetString() == "sales-rep").GetProperty("id").GetString();
        var invite = await Page.APIRequest.PostAsync("/api/v1/invitations", new() { DataObject = new { email = $"rep-{Guid.NewGuid():N}@example.com", roleIds = new[] { repRole } } });
        var link = new Uri(JsonDocument.Parse(await invite.TextAsync()).RootElement.GetProperty("link").GetString()!);

        var rep = await NewBrowserPageAsync();
        await rep.GotoAsync(link.PathAndQuery);
        await rep.Locator("#displayName").FillAsync("Rex Rep");
        await rep.Locator("#password").FillAsync("rep-password-123");
        await rep.GetByTestId("invite-submit").ClickAsync();
        await Expect(rep).ToHaveURLAsync(Accounts.CompaniesUrl());
        await Accounts.WaitForInteractiveAsync(rep);
        var repId = JsonDocument.Parse(await (await rep.APIRequest.GetAsync("/api/v1/me")).TextAsync()).RootElement.GetProperty("id").GetString();

        var deactivated = await Page.APIRequest.PostAsync($"/api/v1/members/{repId}/deactivate", new() { DataObject = new { } });
        Assert.Equal(200, deactivated.Status);

        // The open circuit is re-checked every 5 seconds; then the page sends the member to sign in, and the cookie no longer works.
        await Expect(rep).ToHaveURLAsync(Accounts.SignInUrl(), new() { Timeout = 20_000 });
        await ScreenshotAsync(rep, "signed-out");
        Assert.Equal(401, (await rep.APIRequest.GetAsync("/api/v1/me")).Status);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_is_useless()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Sam Signout"));
        Assert.Equal(200, (await Page.APIRequest.GetAsync("/api/v1/me")).Status);
        var copied = await Page.Context.CookiesAsync();

        await Accounts.SignOutAsync(Page);

        var thief = await NewBrowserPageAsync();
        await thief.Context.AddCookiesAsync(copied.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
        Assert.Equal(401, (await thief.APIRequest.GetAsync("/api/v1/me")).Status);
        await thief.GotoAsync("/companies");
        await Expect(thief).ToHaveURLAsync(Accounts.SignInUrl());
    }

    [Fact]
    public async Task Someone_in_two_workspaces_picks_one_after_signing_in()
    {
        var person = Account.New("Pat Two");
        await Accounts.SignUpByPostAsync(Page, person);
        var other = await NewBrowserPageAsync();
        var otherAdmin = Account.New("Olga Other") with { WorkspaceName = "Second Workspace " + Guid.NewGuid().ToString("N")[..4] };
        await Accounts.SignUpByPostAsync(other, otherAdmin);
        var invite = await other.APIRequest.PostAsync("/api/v1/invitations", new() { DataObject = new { email = person.Email } });
        var token = JsonDocument.Parse(await invite.TextAsync()).RootElement.GetProperty("link").GetString()!.Split("token=")[1];
        var joined = await Page.APIRequest.PostAsync("/api/v1/auth/invitations/accept", new() { DataObject = new { token, password = person.Password } });
        Assert.Equal(200, joined.Status);

        await Accounts.SignOutAsync(Page);
        await Accounts.SubmitSignInAsync(Page, person.Email, person.Password);
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/workspaces"));
        await ScreenshotAsync("picker");
        await Page.GetByTestId("pick-workspace").Filter(new() { HasText = otherAdmin.WorkspaceName }).ClickAsync();
        await Expect(Page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/"));
        var me = JsonDocument.Parse(await (await Page.APIRequest.GetAsync("/api/v1/me")).TextAsync()).RootElement;
        Assert.Equal(otherAdmin.WorkspaceName, me.GetProperty("workspaceName").GetString());
    }
}
