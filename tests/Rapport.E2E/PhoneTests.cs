using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed class PhoneTests(E2EFixture fixture) : BrowserTest(fixture)
{
    protected override ViewportSize? Viewport => new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Companies_page_works_at_phone_width()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New());
        var companies = new CompaniesPage(Page);
        await ScreenshotAsync("empty");

        await companies.CreateAsync(new("Acme Trading Company Limited", Domain: "acme.example", City: "Shanghai", Country: "CN"));

        var row = companies.Row("Acme Trading Company Limited");
        await row.ScrollIntoViewIfNeededAsync();
        await Expect(row).ToBeInViewportAsync();
        await Expect(companies.Table).ToBeVisibleAsync();
        await ScreenshotAsync("list");

        // The page itself must not scroll sideways; a wide table scrolls inside its own box.
        var pageWidth = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 390, $"The page is {pageWidth}px wide at a 390px viewport.");

        await companies.OpenNewCompanyDialogAsync();
        await ScreenshotAsync("dialog");
        var dialogBox = await companies.Dialog.BoundingBoxAsync();
        Assert.NotNull(dialogBox);
        Assert.True(dialogBox.X >= 0 && dialogBox.X + dialogBox.Width <= 390, $"The dialog spans {dialogBox.X}..{dialogBox.X + dialogBox.Width}px.");
    }
}
