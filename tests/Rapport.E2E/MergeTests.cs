using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed class MergeTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Member_saves_a_duplicate_anyway_then_merges_it_in_the_finder_keeping_the_picked_values()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Mia Merge"));
        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        await AddContactAsync("Lovelace", "Ada", "ada@example.com", "Engineer");
        await Expect(Page.GetByTestId("contact-row")).ToHaveCountAsync(1);

        // The same email again: the dialog shows the match while typing, the save is refused, "save anyway" saves.
        await AddContactAsync("Lovelace", "Ada", "ADA@example.com", "Countess");
        var dialog = Page.Locator(".mud-dialog");
        await Expect(dialog.GetByTestId("likely-duplicate")).ToContainTextAsync("Ada Lovelace");
        await Expect(dialog.GetByTestId("contact-problem")).ToBeVisibleAsync();
        await ScreenshotAsync("refused");
        await dialog.GetByTestId("contact-save-anyway").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Page.GetByTestId("contact-row")).ToHaveCountAsync(2);

        await Page.GetByTestId("nav-duplicates").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/duplicates$"));
        var pair = Page.GetByTestId("duplicate-pair");
        await Expect(pair).ToHaveCountAsync(1);
        await Expect(pair).ToContainTextAsync("ada@example.com");
        await ScreenshotAsync("finder");

        await pair.GetByTestId("duplicate-merge").ClickAsync();
        await Expect(dialog.GetByTestId("merge-table")).ToBeVisibleAsync();
        await Expect(dialog.GetByTestId("pick-jobTitle-0")).ToBeCheckedAsync();
        await dialog.GetByTestId("pick-jobTitle-1").CheckAsync();
        await dialog.GetByTestId("merge-preview").ClickAsync();
        await Expect(dialog.GetByTestId("merge-result-jobTitle")).ToHaveTextAsync("Countess");
        await Expect(dialog.GetByTestId("merge-result-emails")).ToHaveTextAsync("ada@example.com");
        await ScreenshotAsync("preview");
        await dialog.GetByTestId("merge-confirm").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(Page.GetByTestId("duplicates-empty")).ToBeVisibleAsync();

        await Page.GetByTestId("nav-contacts").ClickAsync();
        var rows = Page.GetByTestId("contact-row");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("Countess");
        await ScreenshotAsync("merged");
    }

    private async Task AddContactAsync(string lastName, string firstName, string email, string jobTitle)
    {
        await Page.GetByTestId("new-contact").ClickAsync();
        await Page.Locator("input[data-testid=contact-last-name]").FillAsync(lastName);
        await Page.Locator("input[data-testid=contact-first-name]").FillAsync(firstName);
        await Page.Locator("input[data-testid=contact-emails]").FillAsync(email);
        await Page.Locator("input[data-testid=contact-job-title]").FillAsync(jobTitle);
        await Page.GetByTestId("contact-save").ClickAsync();
    }
}
