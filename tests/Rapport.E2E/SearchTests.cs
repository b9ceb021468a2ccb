using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed partial class SearchTests(E2EFixture fixture) : BrowserTest(fixture)
{
    private static readonly string[] Phones = ["+86 138 0013 8000"];

    private ILocator Box => Page.Locator("input[data-testid=global-search]");

    [Fact]
    public async Task Member_finds_a_new_contact_by_a_Chinese_substring_from_the_app_bar_and_opens_it()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Sam Search"));
        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("new-contact").ClickAsync();
        await Page.Locator("input[data-testid=contact-last-name]").FillAsync("欧阳");
        await Page.Locator("input[data-testid=contact-first-name]").FillAsync("晓明");
        await Page.Locator("input[data-testid=contact-emails]").FillAsync("xm.ouyang@example.cn");
        await Page.GetByTestId("contact-save").ClickAsync();
        await Expect(Page.GetByTestId("contact-row")).ToContainTextAsync("欧阳晓明");

        await Page.Keyboard.PressAsync("Control+k");
        await Expect(Box).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("晓明");

        var result = Page.GetByTestId("search-result");
        await Expect(result).ToHaveCountAsync(1);
        await Expect(result).ToContainTextAsync("欧阳晓明");
        await Expect(Page.GetByTestId("search-group")).ToHaveTextAsync("Contacts");
        await Page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running')");
        await ScreenshotAsync("dropdown");

        await result.ClickAsync();
        await Expect(Page).ToHaveURLAsync(ContactUrl());
    }

    [Fact]
    public async Task The_results_page_lists_every_match_grouped_by_type_in_Chinese()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Sam Search"));
        await new CompaniesPage(Page).SeedAsync(new NewCompany("北京明华科技有限公司", Domain: "minghua.example"));
        var contact = await Page.APIRequest.PostAsync("/api/v1/contacts", new()
        {
            DataObject = new { lastName = "李", firstName = "明华", phones = Phones },
        });
        Assert.Equal(201, contact.Status);

        await Page.GotoAsync("/account/language?culture=zh-Hans&returnUrl=%2Fcompanies");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GotoAsync("/search?q=" + Uri.EscapeDataString("明华"));
        await Accounts.WaitForInteractiveAsync(Page);
        var groups = Page.GetByTestId("search-page-group");
        await Expect(groups).ToHaveCountAsync(2);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "公司 (1)" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "联系人 (1)" })).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-testid=search-page-group][data-type=contact]")).ToContainTextAsync("李明华");
        await ScreenshotAsync("results");

        var input = Page.Locator("input[data-testid=search-page-input]");
        await input.FillAsync("138 0013 8000");
        await input.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new Regex(@"/search\?q=138%200013%208000$"));
        await Expect(Page.GetByTestId("search-page-result")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("search-page-result")).ToContainTextAsync("匹配：电话");

        await input.FillAsync("不存在的名字");
        await input.PressAsync("Enter");
        await Expect(Page.GetByTestId("search-page-empty")).ToContainTextAsync("没有找到");
    }

    [GeneratedRegex(@"/contacts/[0-9a-f-]{36}$")]
    private static partial Regex ContactUrl();
}

public sealed class PhoneSearchTests(E2EFixture fixture) : BrowserTest(fixture)
{
    protected override ViewportSize? Viewport => new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Search_works_at_phone_width_through_the_app_bar_icon()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Pat Phone"));
        await new CompaniesPage(Page).SeedAsync(new NewCompany("Acme Trading Company Limited", Domain: "acme.example"));

        await Page.GetByTestId("search-icon").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/search$"));
        await Accounts.WaitForInteractiveAsync(Page);
        var input = Page.Locator("input[data-testid=search-page-input]");
        await input.FillAsync("acme trad");
        await input.PressAsync("Enter");
        await Expect(Page.GetByTestId("search-page-result")).ToContainTextAsync("Acme Trading Company Limited");
        await ScreenshotAsync("results");

        var pageWidth = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 390, $"The page is {pageWidth}px wide at a 390px viewport.");
    }
}
