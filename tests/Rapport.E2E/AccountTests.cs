using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed class AccountTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Visitor_can_sign_up_and_lands_on_companies()
    {
        var account = Account.New();
        await Page.GotoAsync("/account/signup");
        await ScreenshotAsync("form");

        await Accounts.SignUpAsync(Page, account);

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Companies", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("companies-empty")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("sign-out")).ToBeVisibleAsync();
        await Expect(Page.GetByText(account.DisplayName)).ToBeVisibleAsync();
        await ScreenshotAsync("companies");
    }

    [Fact]
    public async Task Member_can_sign_out_and_sign_in_again()
    {
        var account = Account.New();
        await Accounts.SignUpAsync(Page, account);

        await Accounts.SignOutAsync(Page);
        await ScreenshotAsync("signed-out");
        await Page.GotoAsync("/companies");
        await Expect(Page).ToHaveURLAsync(Accounts.SignInUrl());

        await Accounts.SignInAsync(Page, account);
        await Expect(Page).ToHaveURLAsync(Accounts.CompaniesUrl());
        await Expect(Page.GetByTestId("new-company")).ToBeVisibleAsync();
        await ScreenshotAsync("signed-in");
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_stays_signed_out()
    {
        var account = Account.New();
        await Accounts.SignUpAsync(Page, account);
        await Accounts.SignOutAsync(Page);

        var response = await Accounts.SubmitSignInAsync(Page, account.Email, "not the password");

        Assert.Equal(200, response.Status);
        await Expect(Page.GetByTestId("signin-error")).ToBeVisibleAsync();
        await Expect(Page).ToHaveURLAsync(Accounts.SignInUrl());
        await ScreenshotAsync("error");
        await Page.GotoAsync("/companies");
        await Expect(Page).ToHaveURLAsync(Accounts.SignInUrl());
    }
}
