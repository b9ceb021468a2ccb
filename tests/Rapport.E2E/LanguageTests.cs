using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed partial class LanguageTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Member_can_switch_to_Chinese_and_it_stays_after_reload_and_signing_in_again()
    {
        var account = Account.New("王小明");
        await Accounts.SignUpByPostAsync(Page, account);
        await ExpectEnglishAsync(Page);

        await Page.GetByTestId("language-menu").ClickAsync();
        var languageSwitch = await Page.RunAndWaitForResponseAsync(
            () => Page.GetByTestId("lang-zh").ClickAsync(),
            r => new Uri(r.Url).AbsolutePath == "/account/language");

        Assert.Contains("culture=zh-Hans", languageSwitch.Url, StringComparison.Ordinal);
        Assert.Equal(302, languageSwitch.Status);
        await Expect(Page).ToHaveURLAsync(Accounts.CompaniesUrl());
        await Accounts.WaitForInteractiveAsync(Page);
        await ExpectChineseAsync(Page);
        await ScreenshotAsync("chinese");

        await Page.ReloadAsync();
        await Accounts.WaitForInteractiveAsync(Page);
        await ExpectChineseAsync(Page);

        var companies = new CompaniesPage(Page);
        await companies.OpenNewCompanyDialogAsync();
        await Expect(companies.Dialog).ToContainTextAsync("新建公司");
        await companies.FillAsync(new("", Website: "not a url"));
        await Page.GetByTestId("company-save").ClickAsync();
        await Expect(companies.ErrorOf("company-website")).ToBeVisibleAsync();
        await ScreenshotAsync("chinese-dialog-errors");
        await companies.Dialog.GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await Expect(companies.Dialog).ToBeHiddenAsync();

        await Accounts.SignOutAsync(Page);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "登录", Level = 1 })).ToBeVisibleAsync();
        await ScreenshotAsync("signin-chinese");
        await Accounts.SignInByPostAsync(Page, account);
        await ExpectChineseAsync(Page);

        // A browser that never chose a language: the choice comes from the person, not from a cookie.
        var elsewhere = await NewBrowserPageAsync();
        await elsewhere.GotoAsync("/account/signin");
        await Expect(elsewhere.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await Accounts.SignInByPostAsync(elsewhere, account);
        await ExpectChineseAsync(elsewhere);
        await ScreenshotAsync(elsewhere, "other-browser");
    }

    [Fact]
    public async Task Language_choice_belongs_to_the_person_who_made_it()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New());
        await Page.GetByTestId("language-menu").ClickAsync();
        await Page.GetByTestId("lang-zh").ClickAsync();
        await Accounts.WaitForInteractiveAsync(Page);
        await ExpectChineseAsync(Page);

        var someoneElse = await NewBrowserPageAsync();
        await Accounts.SignUpByPostAsync(someoneElse, Account.New("Grace Hopper"));
        await ExpectEnglishAsync(someoneElse);
    }

    [Fact]
    public async Task Sign_in_page_can_be_switched_to_Chinese_before_signing_in()
    {
        await Page.GotoAsync("/account/signin");
        await Page.GetByTestId("lang-zh").ClickAsync();

        await Expect(Page).ToHaveURLAsync(Accounts.SignInUrl());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "登录", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("signin-submit")).ToHaveTextAsync("登录");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
    }

    private static async Task ExpectChineseAsync(IPage page)
    {
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "公司", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("new-company")).ToHaveTextAsync("新建公司");
        await Expect(page.GetByTestId("companies-table").Locator("th[data-column=name]")).ToHaveTextAsync(StartsWithName());
        await Expect(page).ToHaveTitleAsync(new Regex("^公司"));
    }

    private static async Task ExpectEnglishAsync(IPage page)
    {
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Companies", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("new-company")).ToHaveTextAsync("New company");
    }

    [GeneratedRegex(@"^\s*名称")]
    private static partial Regex StartsWithName();
}
