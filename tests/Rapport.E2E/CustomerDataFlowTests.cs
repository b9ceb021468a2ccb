using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>Issue 4's flow in one go: a contact with a custom field, found by a Chinese substring, merged with its duplicate.</summary>
public sealed class CustomerDataFlowTests(E2EFixture fixture) : BrowserTest(fixture)
{
    private static readonly string[] Email = ["xm@example.cn"];

    [Fact]
    public async Task A_contact_with_a_custom_field_is_found_by_a_Chinese_substring_and_merged_with_its_duplicate()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Flo Flow"));
        var field = await Page.APIRequest.PostAsync("/api/v1/custom-fields", new()
        {
            DataObject = new
            {
                entityType = "contact", key = "tier", type = "singleSelect", label = "Tier", labelZh = "等级",
                options = new[] { new { key = "gold", label = "Gold", labelZh = "金牌" }, new { key = "silver", label = "Silver", labelZh = "银牌" } },
            },
        });
        Assert.Equal(201, field.Status);

        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("new-contact").ClickAsync();
        await Page.Locator("input[data-testid=contact-last-name]").FillAsync("欧阳");
        await Page.Locator("input[data-testid=contact-first-name]").FillAsync("晓明");
        await Page.Locator("input[data-testid=contact-emails]").FillAsync("xm@example.cn");
        await new CompaniesPage(Page).SelectAsync("custom-tier", "Gold");
        await Page.GetByTestId("contact-save").ClickAsync();
        await Expect(Page.GetByTestId("contact-row")).ToHaveCountAsync(1);
        var twin = await Page.APIRequest.PostAsync("/api/v1/contacts?allowDuplicate=true", new()
        {
            DataObject = new { lastName = "欧阳", firstName = "晓明", emails = Email, jobTitle = "采购经理", custom = new { tier = "silver" } },
        });
        Assert.Equal(201, twin.Status);

        await Page.Keyboard.PressAsync("Control+k");
        await Page.Keyboard.TypeAsync("晓明");
        await Expect(Page.GetByTestId("search-result")).ToHaveCountAsync(2);
        await ScreenshotAsync("search");

        await Page.GotoAsync("/duplicates");
        await Accounts.WaitForInteractiveAsync(Page);
        var pair = Page.GetByTestId("duplicate-pair");
        await Expect(pair).ToHaveCountAsync(1);
        await pair.GetByTestId("duplicate-merge").ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await Expect(dialog.GetByTestId("merge-table")).ToBeVisibleAsync();
        await dialog.GetByTestId("merge-preview").ClickAsync();
        await ScreenshotAsync("merge");
        await dialog.GetByTestId("merge-confirm").ClickAsync();
        await Expect(Page.GetByTestId("duplicates-empty")).ToBeVisibleAsync();

        // One contact is left; the search finds only it, and its page shows the custom field.
        await Page.GotoAsync("/search?q=" + Uri.EscapeDataString("晓明"));
        await Accounts.WaitForInteractiveAsync(Page);
        var results = Page.GetByTestId("search-page-result");
        await Expect(results).ToHaveCountAsync(1);
        await results.ClickAsync();
        await Expect(Page.GetByTestId("custom-value-tier")).ToBeVisibleAsync();
        await ScreenshotAsync("survivor");
    }
}
