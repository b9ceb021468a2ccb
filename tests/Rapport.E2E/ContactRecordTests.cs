using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

public sealed class ContactRecordTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Contact_page_takes_a_note_and_a_file_that_show_on_its_timeline_and_its_company_timeline()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Nora Notes"));
        var company = await Page.APIRequest.PostAsync("/api/v1/companies", new() { DataObject = new { name = "Pilot Logistics" } });
        var companyId = JsonDocument.Parse(await company.TextAsync()).RootElement.GetProperty("id").GetString();
        var contact = await Page.APIRequest.PostAsync("/api/v1/contacts",
            new() { DataObject = new { firstName = "Pia", lastName = "Planner", companyId, jobTitle = "Head of logistics" } });
        Assert.Equal(201, contact.Status);

        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Pia Planner" }).ClickAsync();
        await Expect(Page.GetByTestId("contact-title")).ToHaveTextAsync("Pia Planner");
        await Expect(Page.GetByTestId("contact-companies")).ToContainTextAsync("Pilot Logistics");
        await Expect(Page.GetByTestId("timeline-entry").First).ToHaveAttributeAsync("data-kind", "created");

        var editor = Page.GetByTestId("note-editor");
        await editor.ClickAsync();
        await Page.Keyboard.TypeAsync("Called about the pilot. ");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Bold" }).First.ClickAsync();
        await Page.Keyboard.TypeAsync("Decision in May");
        await Page.GetByTestId("note-save").ClickAsync();

        var note = Page.Locator("[data-testid=timeline-entry][data-kind=note]");
        await Expect(note).ToHaveCountAsync(1);
        await Expect(note.GetByTestId("note-body").Locator("b, strong")).ToHaveTextAsync("Decision in May");
        await Expect(note).ToContainTextAsync("Pilot Logistics"); // also linked to the contact's company
        await Expect(editor).ToBeEmptyAsync();

        await note.GetByTestId("note-edit").ClickAsync();
        var editing = Page.GetByTestId("note-edit-editor");
        await Expect(editing).ToContainTextAsync("Decision in May");
        await editing.PressAsync("End");
        await Page.Keyboard.TypeAsync(" (confirmed)");
        await Page.GetByTestId("note-edit-save").ClickAsync();
        await Expect(note.GetByTestId("note-body")).ToContainTextAsync("Decision in May (confirmed)");
        await Expect(note).ToContainTextAsync("edited");

        await Page.Locator("[data-testid=note-composer] input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "pilot-plan.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n% pilot plan\n%%EOF\n"),
        });
        var file = Page.Locator("[data-testid=timeline-entry][data-kind=file]");
        await Expect(file).ToHaveCountAsync(1);
        var download = file.GetByTestId("file-download");
        await Expect(download).ToHaveTextAsync("pilot-plan.pdf");
        var content = await Page.APIRequest.GetAsync((await download.GetAttributeAsync("href"))!);
        Assert.Equal(200, content.Status);
        Assert.StartsWith("attachment", content.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal("nosniff", content.Headers["x-content-type-options"]);
        await Expect(Page.GetByTestId("timeline-entry").First).ToHaveAttributeAsync("data-kind", "file");
        await ScreenshotAsync("contact");

        await Page.GetByTestId("contact-companies").GetByText("Pilot Logistics").ClickAsync();
        await Expect(Page.GetByTestId("company-title")).ToHaveTextAsync("Pilot Logistics");
        await Expect(Page.Locator("[data-testid=timeline-entry][data-kind=note]")).ToContainTextAsync("Decision in May");
        await Expect(Page.Locator("[data-testid=timeline-entry][data-kind=file]")).ToContainTextAsync("pilot-plan.pdf");
        await ScreenshotAsync("company");
    }
}

public sealed class ContactRecordPhoneTests(E2EFixture fixture) : BrowserTest(fixture)
{
    protected override ViewportSize? Viewport => new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Contact_page_with_its_timeline_fits_a_phone()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Pho Ne"));
        var company = await Page.APIRequest.PostAsync("/api/v1/companies", new() { DataObject = new { name = "深圳华南电子有限公司" } });
        var companyId = JsonDocument.Parse(await company.TextAsync()).RootElement.GetProperty("id").GetString();
        var contact = await Page.APIRequest.PostAsync("/api/v1/contacts",
            new() { DataObject = new { firstName = "小红", lastName = "李", companyId, jobTitle = "采购经理", emails = Emails } });
        var contactId = JsonDocument.Parse(await contact.TextAsync()).RootElement.GetProperty("id").GetString();
        var note = await Page.APIRequest.PostAsync("/api/v1/notes", new()
        {
            DataObject = new
            {
                html = "<p>电话沟通：对新产品线很感兴趣，下周发送资料。<b>重要</b></p><ul><li>报价</li><li>演示</li></ul>",
                links = new[] { new { entityType = "contact", recordId = contactId }, new { entityType = "company", recordId = companyId } },
            },
        });
        Assert.Equal(201, note.Status);

        await Page.GotoAsync($"/contacts/{contactId}");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("contact-title")).ToHaveTextAsync("李小红");
        await Expect(Page.Locator("[data-testid=timeline-entry][data-kind=note]")).ToContainTextAsync("重要");
        await Expect(Page.GetByTestId("note-editor")).ToBeVisibleAsync();
        await ScreenshotAsync("phone");

        var pageWidth = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 390, $"The page is {pageWidth}px wide at a 390px viewport.");
    }

    private static readonly string[] Emails = ["xiaohong.li@huanan-elec.example"];
}
