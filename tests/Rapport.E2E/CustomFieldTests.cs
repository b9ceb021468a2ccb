using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed class CustomFieldTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Admin_defines_a_select_field_and_a_contact_is_saved_with_it_and_shown_with_its_label()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Fiona Fields"));
        await Page.GotoAsync("/settings/custom-fields");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("custom-fields-empty").First).ToBeVisibleAsync();

        await Page.GetByTestId("new-custom-field").ClickAsync();
        await Page.Locator("input[data-testid=field-label]").FillAsync("Customer tier");
        await Page.Locator("input[data-testid=field-label-zh]").FillAsync("客户等级");
        await Expect(Page.Locator("input[data-testid=field-key]")).ToHaveValueAsync("customerTier");
        var form = new CompaniesPage(Page);
        await form.SelectAsync("field-type", "Single select");
        await Page.GetByTestId("field-save").ClickAsync();
        await Expect(Page.Locator(".mud-dialog")).ToContainTextAsync("at least one option");

        await Page.GetByTestId("add-option").ClickAsync();
        await Page.Locator("input[data-testid=option-label]").Nth(0).FillAsync("Gold");
        await Page.Locator("input[data-testid=option-label-zh]").Nth(0).FillAsync("金牌");
        await Page.GetByTestId("add-option").ClickAsync();
        await Page.Locator("input[data-testid=option-label]").Nth(1).FillAsync("Silver");
        await Page.GetByTestId("field-save").ClickAsync();
        await Expect(Page.GetByTestId("custom-field-row")).ToContainTextAsync("custom.customerTier");
        await ScreenshotAsync("custom-fields");

        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("new-contact").ClickAsync();
        await Page.Locator("input[data-testid=contact-last-name]").FillAsync("Tiered");
        await form.SelectAsync("custom-customerTier", "Gold");
        await ScreenshotAsync("contact-dialog");
        await Page.GetByTestId("contact-save").ClickAsync();
        await Expect(Page.GetByTestId("contact-row")).ToHaveCountAsync(1);

        // Opened again, the contact shows the option it was saved with.
        await Page.GetByTestId("contact-row").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(Page.GetByTestId("custom-customerTier")).ToHaveTextAsync("Gold");
    }
}
