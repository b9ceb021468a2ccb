using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>The import wizard: a file in, the suggested mapping, a dry run that writes nothing, the import, and its undo.</summary>
public sealed partial class ImportTests(E2EFixture fixture) : BrowserTest(fixture)
{
    /// <summary>Chinese and English contacts; one row with a bad email, one repeating an earlier email (a duplicate).</summary>
    internal static readonly byte[] Contacts = Encoding.UTF8.GetBytes(
        "姓名,邮箱,手机,公司,职位\r\n" +
        "王小明,xiaoming@example.cn,+86 138 0013 8000,示例科技,经理\r\n" +
        "Ada Lovelace,ada@example.com,+44 20 7946 0018,Analytical Engines,Countess\r\n" +
        "李娜,li.na@example.cn,+86 137 0013 7000,示例科技,工程师\r\n" +
        "Broken Mail,not-an-email,,,\r\n" +
        "Ada Again,ADA@example.com,,,\r\n");

    /// <summary>Chooses the test file once Blazor's InputFile has wired up its change listener (set on a fresh render of the file step, e.g. after Back).</summary>
    internal static async Task UploadAsync(IPage page)
    {
        var input = page.Locator("[data-testid=import-file] input[type=file]");
        await input.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=import-file] input[type=file]')?._blazorInputFileNextFileId !== undefined");
        await input.SetInputFilesAsync(new FilePayload { Name = "contacts.csv", MimeType = "text/csv", Buffer = Contacts });
    }

    internal static ILocator MappingRow(IPage page, string column) => page.Locator($"[data-testid=mapping-row][data-column='{column}']");

    [Fact]
    public async Task Contacts_file_is_mapped_tried_in_a_dry_run_imported_and_undone()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Ivy Importer"));
        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("import-button").ClickAsync();
        await Expect(Page).ToHaveURLAsync(ImportsUrl());
        await Expect(Page.GetByRole(AriaRole.Radio, new() { Name = "Contacts" })).ToBeCheckedAsync();

        await UploadAsync(Page);

        await Expect(Page.GetByTestId("import-step-mapping")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("import-detected-delimiter")).ToContainTextAsync(",");
        await Expect(Page.GetByTestId("import-preview-table").Locator("tbody tr")).ToHaveCountAsync(5);
        foreach (var (column, field) in new[] { ("姓名", "name"), ("邮箱", "emails"), ("手机", "phones"), ("公司", "company"), ("职位", "jobTitle") })
        {
            await Expect(MappingRow(Page, column)).ToHaveAttributeAsync("data-field", field);
        }

        await Expect(MappingRow(Page, "邮箱")).ToContainTextAsync("Email");

        await Page.GetByTestId("dry-run-start").ClickAsync();

        var dryRun = Page.GetByTestId("dry-run-summary");
        await Expect(dryRun).ToHaveAttributeAsync("data-status", "completed");
        await ExpectCountsAsync(dryRun, created: 3, updated: 0, skipped: 1, failed: 1);
        await Expect(dryRun.GetByTestId("sample-row")).ToHaveCountAsync(5);
        await Expect(dryRun.Locator("[data-testid=sample-row][data-action=failed]")).ToContainTextAsync("not-an-email");
        await Expect(dryRun.Locator("[data-testid=sample-row][data-action=skipped]")).ToContainTextAsync("Duplicate");
        await ScreenshotAsync("dry-run");

        // The error file downloads with the browser's session cookie.
        var errors = await Page.APIRequest.GetAsync((await dryRun.GetByTestId("errors-link").GetAttributeAsync("href"))!);
        Assert.Equal(200, errors.Status);
        Assert.StartsWith("attachment", errors.Headers["content-disposition"], StringComparison.Ordinal);
        var errorLines = (await errors.TextAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("姓名,邮箱,手机,公司,职位,Row,Reason", errorLines[0]);
        Assert.Equal(3, errorLines.Length);
        Assert.Equal(0, await CountContactsAsync()); // a dry run writes nothing

        await Page.GetByTestId("import-start").ClickAsync();

        var result = Page.GetByTestId("import-result");
        await Expect(result).ToHaveAttributeAsync("data-status", "completed");
        await ExpectCountsAsync(result, created: 3, updated: 0, skipped: 1, failed: 1);
        await Expect(Page.GetByTestId("recent-import")).ToHaveCountAsync(2);
        await ScreenshotAsync("imported");

        var list = await Page.Context.NewPageAsync();
        await list.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(list);
        await Expect(list.GetByTestId("contact-row")).ToHaveCountAsync(3);
        foreach (var name in new[] { "王小明", "Ada Lovelace", "李娜" })
        {
            await Expect(list.GetByTestId("contact-row").Filter(new() { HasText = name })).ToHaveCountAsync(1);
        }

        await ScreenshotAsync(list, "contacts");
        await list.CloseAsync();

        await result.GetByTestId("import-undo").ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Undo the import" }).ClickAsync();

        await Expect(result.GetByTestId("undo-result")).ToHaveAttributeAsync("data-left-alone", "0");
        await Expect(result.GetByTestId("import-undo")).ToHaveCountAsync(0);
        await ScreenshotAsync("undone");
        Assert.Equal(0, await CountContactsAsync());
        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByText("Ada Lovelace")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("contact-row")).ToHaveCountAsync(0);
    }

    private static async Task ExpectCountsAsync(ILocator panel, int created, int updated, int skipped, int failed)
    {
        foreach (var (key, count) in new[] { ("created", created), ("updated", updated), ("skipped", skipped), ("failed", failed) })
        {
            await Expect(panel.GetByTestId("count-" + key)).ToHaveAttributeAsync("data-count", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private async Task<int> CountContactsAsync()
    {
        var response = await Page.APIRequest.GetAsync("/api/v1/contacts?limit=50");
        Assert.Equal(200, response.Status);
        return System.Text.Json.JsonDocument.Parse(await response.TextAsync()).RootElement.GetProperty("data").GetArrayLength();
    }

    [GeneratedRegex(@"/imports\?entity=contact$")]
    private static partial Regex ImportsUrl();
}

/// <summary>The import wizard at phone width, in Chinese: the mapping step fits the screen and names fields in Chinese.</summary>
public sealed class ImportPhoneTests(E2EFixture fixture) : BrowserTest(fixture)
{
    protected override ViewportSize? Viewport => new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Mapping_step_works_at_phone_width_and_offers_a_saved_template()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Pia Phone"));
        await Page.GotoAsync("/imports");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("language-menu").ClickAsync();
        await Page.GetByTestId("lang-zh").ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "导入", Level = 1 })).ToBeVisibleAsync();
        await Accounts.WaitForInteractiveAsync(Page);

        await ImportTests.UploadAsync(Page);

        await Expect(ImportTests.MappingRow(Page, "邮箱")).ToHaveAttributeAsync("data-field", "emails");
        await Expect(ImportTests.MappingRow(Page, "姓名").Locator("td").Last).ToHaveTextAsync("姓名"); // field labels in the member's language
        await ScreenshotAsync("mapping");
        var pageWidth = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 390, $"The page is {pageWidth}px wide at a 390px viewport.");
        await Expect(Page.GetByTestId("dry-run-start")).ToBeVisibleAsync();

        // Leave the job title out, keep that as a template, and get it offered for the next file with these columns.
        var jobTitle = ImportTests.MappingRow(Page, "职位");
        await jobTitle.Locator(".mud-select").First.ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "不导入" }).ClickAsync();
        await Expect(jobTitle).ToHaveAttributeAsync("data-field", "");
        await new CompaniesPage(Page).Input("template-name").FillAsync("Trade fair");
        await Page.GetByTestId("template-save").ClickAsync();
        await Expect(Page.GetByText("模板已保存。")).ToBeVisibleAsync();

        await Page.GetByTestId("import-back").ClickAsync();
        await ImportTests.UploadAsync(Page);
        await Expect(Page.GetByTestId("template-fits")).ToContainTextAsync("Trade fair");
        await Expect(jobTitle).ToHaveAttributeAsync("data-field", "jobTitle"); // the suggestion, until the template is applied
        await Page.GetByTestId("template-apply").ClickAsync();
        await Expect(jobTitle).ToHaveAttributeAsync("data-field", "");
        await Expect(ImportTests.MappingRow(Page, "邮箱")).ToHaveAttributeAsync("data-field", "emails");
        await ScreenshotAsync("template");
    }
}
