using System.Text;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>The Export menu of a list page downloads the view on screen — its search, sort and columns — and leaves the page working.</summary>
public sealed class ExportTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_export_menu_downloads_the_current_view_as_csv_for_excel()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Erin Export"));
        foreach (var contact in new object[]
                 {
                     new { firstName = "小明", lastName = "王", emails = new[] { "xiaoming@example.cn" }, jobTitle = "=HYPERLINK(\"x\")" },
                     new { firstName = "Zed", lastName = "Other", emails = new[] { "zed@example.com" } },
                 })
        {
            Assert.Equal(201, (await Page.APIRequest.PostAsync("/api/v1/contacts", new() { DataObject = contact })).Status);
        }

        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        var search = new CompaniesPage(Page).Input("contact-search"); // the test id sits on the input itself
        await search.FillAsync("王");
        await search.PressAsync("Enter");
        await Expect(Page.GetByTestId("contact-row")).ToHaveCountAsync(1);

        await Page.GetByTestId("export-menu").GetByRole(AriaRole.Button, new() { Name = "Export", Exact = true }).ClickAsync();
        await Expect(Page.GetByTestId("export-vcf")).ToBeVisibleAsync();
        await ScreenshotAsync("menu");
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-csv-excel").ClickAsync());

        Assert.Matches(@"^contacts-\d{4}-\d{2}-\d{2}\.csv$", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "CSV for Excel starts with a byte order mark");
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("firstName,lastName,emails,phones,jobTitle,company,lifecycleStage,ownerId,updatedAt", lines[0]);
        Assert.StartsWith("小明,王,xiaoming@example.cn,,\"'=HYPERLINK(\"\"x\"\")\",", lines[1], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length); // the header, the one row the search shows, and the end after the last line break

        await Expect(Page.GetByTestId("contact-row")).ToHaveCountAsync(1); // still the same interactive page
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/contacts"));
    }
}
