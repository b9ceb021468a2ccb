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
}
