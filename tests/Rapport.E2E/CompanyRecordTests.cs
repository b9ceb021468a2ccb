using System.Text.Json;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed class CompanyRecordTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Company_page_shows_its_fields_contacts_and_history()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Rex Record"));
        var company = await Page.APIRequest.PostAsync("/api/v1/companies", new() { DataObject = new { name = "Record Co", industry = "Mining" } });
        var id = JsonDocument.Parse(await company.TextAsync()).RootElement.GetProperty("id").GetString();
        await Page.APIRequest.PostAsync("/api/v1/contacts", new() { DataObject = new { firstName = "Rita", lastName = "Works", companyId = id, jobTitle = "Buyer" } });

        await Page.GotoAsync("/companies");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Record Co" }).ClickAsync();

        await Expect(Page.GetByTestId("company-title")).ToHaveTextAsync("Record Co");
        await Expect(Page.GetByTestId("company-contacts")).ToContainTextAsync("Rita Works");
        await Expect(Page.GetByTestId("company-timeline")).ToContainTextAsync("Mining");
        await ScreenshotAsync("record");
    }

    [Fact]
    public async Task A_social_profile_added_in_the_dialog_shows_as_a_link_on_the_company_page()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Sol Social"));
        var company = await Page.APIRequest.PostAsync("/api/v1/companies", new() { DataObject = new { name = "Social Co" } });
        var id = JsonDocument.Parse(await company.TextAsync()).RootElement.GetProperty("id").GetString();

        await Page.GotoAsync($"/companies/{id}");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("company-edit").ClickAsync();
        await Page.GetByTestId("add-profile").ClickAsync();
        await Page.Locator("input[data-testid=profile-network]").FillAsync("LinkedIn");
        await Page.Locator("input[data-testid=profile-handle]").FillAsync("https://www.linkedin.com/company/social-co");
        await Page.GetByTestId("add-address").ClickAsync();
        await Page.Locator("input[data-testid=address-label]").FillAsync("Warehouse");
        await Page.Locator("input[data-testid=address-city]").FillAsync("Ningbo");
        await ScreenshotAsync("dialog");
        await Page.GetByTestId("company-save").ClickAsync();

        await Expect(Page.GetByTestId("social-profile")).ToContainTextAsync("LinkedIn");
        await Expect(Page.GetByTestId("social-profile").GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "https://www.linkedin.com/company/social-co");
        await Expect(Page.Locator("body")).ToContainTextAsync("Ningbo");
        await ScreenshotAsync("page");
    }
}
