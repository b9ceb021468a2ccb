using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>Leads in the browser: add one, convert it with a deal (its company already exists and is linked), follow what it became, at desk and phone width.</summary>
public sealed class LeadTests(E2EFixture fixture) : BrowserTest(fixture)
{
    /// <summary>A MudBlazor input by its test id (the id lands on the input element itself).</summary>
    private ILocator Input(string testId) => Page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input:not([type=hidden])");

    [Fact]
    public async Task A_new_lead_is_converted_into_a_contact_the_existing_company_and_a_deal()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Lena Leads"));
        var company = await Page.APIRequest.PostAsync("/api/v1/companies", new() { DataObject = new { name = "Initech", domain = "initech.example" } });
        Assert.Equal(201, company.Status);

        await Page.GotoAsync("/leads");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("new-lead").ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await Input("lead-first-name").FillAsync("Peter");
        await Input("lead-last-name").FillAsync("Gibbons");
        await Input("lead-company").FillAsync("Initech");
        await Input("lead-email").FillAsync("peter@initech.example");
        await dialog.GetByTestId("lead-save").ClickAsync();
        await Expect(Page.GetByTestId("lead-title")).ToHaveTextAsync("Peter Gibbons");
        await Expect(Page.GetByTestId("lead-status")).ToHaveTextAsync("New");

        await Page.GetByTestId("lead-convert").ClickAsync();
        await Input("convert-deal-name").FillAsync("Initech TPS upgrade");
        await ScreenshotAsync("convert-dialog");
        await Page.Locator(".mud-dialog").GetByTestId("convert-confirm").ClickAsync();
        await Expect(Page.GetByTestId("lead-status")).ToHaveTextAsync("Converted");
        var conversion = Page.GetByTestId("lead-conversion");
        await Expect(conversion.GetByTestId("lead-became-contact")).ToContainTextAsync("Peter Gibbons");
        await Expect(conversion.GetByTestId("lead-became-contact")).ToContainTextAsync("created");
        await Expect(conversion.GetByTestId("lead-became-company")).ToContainTextAsync("Initech");
        await Expect(conversion.GetByTestId("lead-became-company")).ToContainTextAsync("linked");
        await Expect(conversion.GetByTestId("lead-became-deal")).ToContainTextAsync("Initech TPS upgrade");
        await Expect(Page.GetByTestId("lead-convert")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("lead-undo-conversion")).ToBeVisibleAsync(); // the workspace's creator is its administrator
        await ScreenshotAsync("converted");

        var companies = await (await Page.APIRequest.GetAsync("/api/v1/companies")).JsonAsync();
        Assert.Equal(1, companies!.Value.GetProperty("data").GetArrayLength());

        await Page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync("converted-phone");
        await conversion.GetByTestId("lead-became-deal").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page.GetByTestId("deal-title")).ToHaveTextAsync("Initech TPS upgrade");

        await Page.GotoAsync("/leads");
        await Expect(Page.GetByTestId("lead-row")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("lead-row").GetByTestId("lead-status")).ToHaveTextAsync("Converted");
        await ScreenshotAsync("list-phone");
    }
}
