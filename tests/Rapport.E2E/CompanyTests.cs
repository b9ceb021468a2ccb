using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed class CompanyTests(E2EFixture fixture) : BrowserTest(fixture)
{
    private CompaniesPage Companies => new(Page);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Accounts.SignUpByPostAsync(Page, Account.New());
    }

    [Fact]
    public async Task Member_can_create_a_company_and_sees_it_in_the_list()
    {
        await Expect(Companies.Empty).ToBeVisibleAsync();
        await Companies.OpenNewCompanyDialogAsync();
        await Companies.FillAsync(new("Acme Trading", Domain: "acme.example", City: "Shanghai", Country: "CN"));
        await ScreenshotAsync("dialog");

        await Page.GetByTestId("company-save").ClickAsync();

        await Expect(Companies.Dialog).ToBeHiddenAsync();
        await Expect(Companies.Rows).ToHaveCountAsync(1);
        var row = Companies.Rows.First;
        await Expect(CompaniesPage.Cell(row, "name")).ToHaveTextAsync("Acme Trading");
        await Expect(CompaniesPage.Cell(row, "domain")).ToHaveTextAsync("acme.example");
        await Expect(CompaniesPage.Cell(row, "address.city")).ToHaveTextAsync("Shanghai");
        await Expect(CompaniesPage.Cell(row, "address.country")).ToHaveTextAsync("CN");
        await Expect(Companies.Empty).ToHaveCountAsync(0);
        await ScreenshotAsync("list");

        await Page.ReloadAsync();
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Companies.Row("Acme Trading")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task New_company_dialog_opens_with_the_name_focused_and_without_errors()
    {
        await Companies.OpenNewCompanyDialogAsync();
        var name = Companies.Input("company-name");
        await Expect(name).ToBeFocusedAsync();

        await Page.Keyboard.TypeAsync("Typed straight away");

        await Expect(name).ToHaveValueAsync("Typed straight away");
        await Expect(name).ToBeFocusedAsync();
        await Expect(Companies.Dialog.Locator(".mud-input-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Invalid_website_shows_the_error_next_to_the_field_and_saves_nothing()
    {
        await Companies.OpenNewCompanyDialogAsync();
        await Companies.FillAsync(new("Bad Website Ltd", Website: "not a url"));

        await Page.GetByTestId("company-save").ClickAsync();

        await Expect(Companies.ErrorOf("company-website")).ToContainTextAsync("http://");
        await Expect(Companies.Input("company-website")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Companies.Input("company-name")).ToHaveAttributeAsync("aria-invalid", "false");
        await Expect(Companies.Dialog).ToBeVisibleAsync();
        await ScreenshotAsync("error");

        await Companies.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(Companies.Dialog).ToBeHiddenAsync();
        await Expect(Companies.Rows).ToHaveCountAsync(0);
        await Page.ReloadAsync();
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Companies.Empty).ToBeVisibleAsync();
        await Expect(Companies.Rows).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Missing_name_is_refused_with_an_error_on_the_name()
    {
        await Companies.OpenNewCompanyDialogAsync();
        await Companies.Input("company-city").FillAsync("Berlin");

        await Page.GetByTestId("company-save").ClickAsync();

        await Expect(Companies.ErrorOf("company-name")).ToHaveTextAsync("Name is required.");
        await Expect(Companies.Dialog).ToBeVisibleAsync();
        await Companies.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(Companies.Rows).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Search_shows_only_companies_whose_name_matches()
    {
        await Companies.SeedAsync(
            new("Acme Trading", City: "Shanghai", Country: "CN"),
            new("Acme Robotics", City: "Berlin", Country: "DE"),
            new("Globex", City: "Berlin", Country: "DE"));

        await Companies.SearchAsync("acme");

        await Expect(Companies.Rows).ToHaveCountAsync(2);
        await Expect(Companies.Row("Globex")).ToHaveCountAsync(0);
        await ScreenshotAsync("search");

        await Companies.SearchAsync("nothing like this");
        await Expect(Companies.Rows).ToHaveCountAsync(0);
        await Expect(Companies.Empty).ToBeVisibleAsync();

        await Companies.SearchAsync("");
        await Expect(Companies.Rows).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task Filter_builder_narrows_the_list_and_its_chip_removes_the_filter()
    {
        await Companies.SeedAsync(
            new("Acme Trading", City: "Shanghai", Country: "CN"),
            new("Acme Robotics", City: "Berlin", Country: "DE"),
            new("Globex", City: "Berlin", Country: "DE"));

        await Companies.SelectAsync("filter-field", "City");
        await Companies.SelectAsync("filter-op", "is");
        await Companies.Input("filter-value").FillAsync("Berlin");
        await Page.GetByTestId("filter-add").ClickAsync();

        var chip = Page.GetByTestId("filter-chip");
        await Expect(chip).ToContainTextAsync("Berlin");
        await Expect(Companies.Rows).ToHaveCountAsync(2);
        await Expect(Companies.Row("Acme Trading")).ToHaveCountAsync(0);

        await Companies.SearchAsync("acme");
        await Expect(Companies.Rows).ToHaveCountAsync(1);
        await Expect(Companies.Row("Acme Robotics")).ToBeVisibleAsync();
        await ScreenshotAsync("filtered");

        await chip.Locator(".mud-chip-close-button").ClickAsync();
        await Expect(chip).ToHaveCountAsync(0);
        await Expect(Companies.Rows).ToHaveCountAsync(2);
    }
}
