using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E.Infrastructure;

public sealed record NewCompany(string Name, string? Domain = null, string? City = null, string? Country = null, string? Website = null);

/// <summary>The /companies page and its dialog, by data-testid.</summary>
public sealed class CompaniesPage(IPage page)
{
    public ILocator Rows => page.GetByTestId("company-row");

    public ILocator Table => page.GetByTestId("companies-table");

    public ILocator Empty => page.GetByTestId("companies-empty");

    public ILocator Dialog => page.Locator(".mud-dialog");

    public ILocator Search => Input("company-search");

    public ILocator Row(string name) => Rows.Filter(new() { HasText = name });

    /// <summary>A row's cell of one column, by the column's key (<c>name</c>, <c>address.city</c>…).</summary>
    public static ILocator Cell(ILocator row, string column) => row.Locator($"td[data-column='{column}']");

    /// <summary>A column's header cell.</summary>
    public ILocator Header(string column) => Table.Locator($"th[data-column='{column}']");

    /// <summary>
    /// The &lt;input&gt; of a MudBlazor field: MudBlazor 9 puts the data-testid on the input itself; older versions
    /// put it on a wrapper, so both are accepted.
    /// </summary>
    public ILocator Input(string testId) => page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input:not([type=hidden])");

    /// <summary>The field's error text (MudBlazor's helper line under the input).</summary>
    public ILocator ErrorOf(string testId) =>
        page.Locator(".mud-input-control").Filter(new() { Has = Input(testId) }).Locator(".mud-input-helper-text.mud-input-error");

    public async Task OpenNewCompanyDialogAsync()
    {
        await page.GetByTestId("new-company").ClickAsync();
        await Expect(Dialog).ToBeVisibleAsync();
        await Expect(Input("company-name")).ToBeVisibleAsync();
    }

    public async Task FillAsync(NewCompany company)
    {
        await Input("company-name").FillAsync(company.Name);
        await FillIfSetAsync("company-domain", company.Domain);
        await FillIfSetAsync("company-website", company.Website);
        await FillIfSetAsync("company-city", company.City);
        await FillIfSetAsync("company-country", company.Country);
    }

    public async Task CreateAsync(NewCompany company)
    {
        var before = await Rows.CountAsync();
        await OpenNewCompanyDialogAsync();
        await FillAsync(company);
        await page.GetByTestId("company-save").ClickAsync();
        await Expect(Dialog).ToBeHiddenAsync();
        await Expect(Rows).ToHaveCountAsync(before + 1);
        await Expect(Row(company.Name)).ToBeVisibleAsync();
        await DismissSnackbarAsync();
    }

    /// <summary>
    /// Closes the success snackbar. It sits top-right, on top of "New company", and would swallow the next
    /// click on that button for its whole ~8 s life (Playwright waits it out, a person has to close it).
    /// </summary>
    public async Task DismissSnackbarAsync()
    {
        var snackbar = page.Locator(".mud-snackbar");
        await Expect(snackbar).ToBeVisibleAsync();
        await snackbar.GetByRole(AriaRole.Button).First.ClickAsync();
        await Expect(snackbar).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Arrange step for list tests: creates companies through the JSON API with the browser's own sign-in cookie
    /// (creating them through the dialog is what <c>CompanyTests</c> checks), then reloads the page.
    /// </summary>
    public async Task SeedAsync(params NewCompany[] companies)
    {
        foreach (var company in companies)
        {
            var response = await page.APIRequest.PostAsync("/api/v1/companies", new()
            {
                DataObject = new
                {
                    name = company.Name,
                    domain = company.Domain,
                    website = company.Website,
                    address = new { city = company.City, country = company.Country },
                },
            });
            Assert.True(response.Status == 201, $"POST /api/v1/companies answered {response.Status}: {await response.TextAsync()}");
        }

        await page.ReloadAsync();
        await Accounts.WaitForInteractiveAsync(page);
        await Expect(Rows).ToHaveCountAsync(companies.Length);
    }

    /// <summary>Types into the search box and commits it with Enter (the field is not immediate).</summary>
    public async Task SearchAsync(string text)
    {
        await Search.FillAsync(text);
        await Search.PressAsync("Enter");
    }

    /// <summary>Picks an option of a MudSelect (opens its popover, clicks the option by its text).</summary>
    public async Task SelectAsync(string testId, string option)
    {
        await page.GetByTestId(testId).ClickAsync();
        var listbox = page.Locator(".mud-popover-open [role=listbox]");
        await listbox.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Expect(listbox).ToHaveCountAsync(0);
        await Expect(page.GetByTestId(testId)).ToHaveTextAsync(option);
    }

    private async Task FillIfSetAsync(string testId, string? value)
    {
        if (value is not null)
        {
            await Input(testId).FillAsync(value);
        }
    }
}
