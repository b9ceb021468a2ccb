using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed class ContactTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Member_adds_a_contact_with_a_local_phone_and_sees_it_in_E164()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Cora Contact"));
        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("contacts-empty")).ToBeVisibleAsync();

        await Page.GetByTestId("new-contact").ClickAsync();
        await Page.Locator("input[data-testid=contact-last-name]").FillAsync("王");
        await Page.Locator("input[data-testid=contact-first-name]").FillAsync("小明");
        await Page.Locator("input[data-testid=contact-phones]").FillAsync("12");
        await Page.GetByTestId("contact-save").ClickAsync();
        await Expect(Page.Locator(".mud-dialog")).ToContainTextAsync("not a valid phone number");

        await Page.Locator("input[data-testid=contact-phones]").FillAsync("(415) 555-2671");
        await Page.Locator("input[data-testid=contact-emails]").FillAsync("XiaoMing@Example.com");
        await Page.GetByTestId("contact-save").ClickAsync();
        var row = Page.GetByTestId("contact-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("王小明");
        await Expect(row).ToContainTextAsync("+14155552671");
        await Expect(row).ToContainTextAsync("xiaoming@example.com");
        await ScreenshotAsync("list");
    }
}
