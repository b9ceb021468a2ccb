using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>The list pages as CRM tables: saved views, column chooser, bulk actions and the kanban.</summary>
public sealed partial class ListPageTests(E2EFixture fixture) : BrowserTest(fixture)
{
    private CompaniesPage Companies => new(Page);

    private ILocator ContactRows => Page.GetByTestId("contact-row");

    /// <summary>Arrange step: contacts through the JSON API with the browser's sign-in cookie; answers their ids.</summary>
    private async Task<List<string>> SeedContactsAsync(params object[] contacts)
    {
        var ids = new List<string>();
        foreach (var contact in contacts)
        {
            var response = await Page.APIRequest.PostAsync("/api/v1/contacts", new() { DataObject = contact });
            Assert.True(response.Status == 201, $"POST /api/v1/contacts answered {response.Status}: {await response.TextAsync()}");
            ids.Add(JsonDocument.Parse(await response.TextAsync()).RootElement.GetProperty("id").GetString()!);
        }

        return ids;
    }

    private async Task<JsonElement> ContactAsync(string id) =>
        JsonDocument.Parse(await (await Page.APIRequest.GetAsync($"/api/v1/contacts/{id}")).TextAsync()).RootElement;

    private async Task OpenContactsAsync()
    {
        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
    }

    private ILocator Column(string key) => Page.Locator($"[data-testid=kanban-column][data-key='{key}']");

    [Fact]
    public async Task A_saved_view_keeps_its_filter_and_columns_after_a_reload()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Vera Views"));
        await Companies.SeedAsync(
            new("Acme Trading", Domain: "acme.example", City: "Shanghai", Website: "https://acme.example"),
            new("Acme Robotics", Domain: "robotics.example", City: "Berlin", Website: "https://robotics.example"),
            new("Globex", Domain: "globex.example", City: "Berlin", Website: "https://globex.example"));

        await Companies.SelectAsync("filter-field", "City");
        await Companies.SelectAsync("filter-op", "is");
        await Companies.Input("filter-value").FillAsync("Berlin");
        await Page.GetByTestId("filter-add").ClickAsync();
        await Expect(Companies.Rows).ToHaveCountAsync(2);

        await Page.GetByTestId("columns-open").ClickAsync();
        var columns = Page.GetByTestId("column-item");
        await columns.Filter(new() { HasText = "Domain" }).Locator("input[type=checkbox]").UncheckAsync();
        var website = columns.Filter(new() { HasText = "Website" });
        await website.Locator("input[type=checkbox]").CheckAsync();
        for (var i = 0; i < 8; i++) // from after the shown columns up to right after the name
        {
            await website.GetByTestId("column-up").ClickAsync();
        }

        await ScreenshotAsync("columns");
        await Page.GetByTestId("columns-apply").ClickAsync();
        await Expect(Companies.Header("domain")).ToHaveCountAsync(0);
        await Expect(Companies.Header("website")).ToBeVisibleAsync();
        await Expect(Companies.Table.Locator("th[data-column]").Nth(1)).ToHaveAttributeAsync("data-column", "website");
        await Expect(Page.GetByTestId("view-modified")).ToBeVisibleAsync();

        await Page.GetByTestId("views-menu").ClickAsync();
        await Page.GetByTestId("view-save-new").ClickAsync();
        await Companies.Input("view-name").FillAsync("Berlin companies");
        await ScreenshotAsync("save");
        await Page.GetByTestId("view-save").ClickAsync();
        await Expect(Page).ToHaveURLAsync(ViewInUrl());
        await Expect(Page.GetByTestId("view-modified")).ToHaveCountAsync(0);

        await Page.ReloadAsync();
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("views-menu")).ToContainTextAsync("Berlin companies");
        await Expect(Companies.Rows).ToHaveCountAsync(2);
        await Expect(Companies.Row("Acme Trading")).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("filter-chip")).ToContainTextAsync("Berlin");
        await Expect(Companies.Header("domain")).ToHaveCountAsync(0);
        await Expect(Companies.Table.Locator("th[data-column]").Nth(1)).ToHaveAttributeAsync("data-column", "website");
        await Expect(Page.GetByTestId("view-modified")).ToHaveCountAsync(0);
        await ScreenshotAsync("reloaded");

        await Page.GetByTestId("views-menu").ClickAsync();
        await Page.GetByTestId("view-default").ClickAsync();
        await Expect(Companies.Rows).ToHaveCountAsync(3);
        await Expect(Companies.Header("domain")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Selected_rows_get_a_tag_in_bulk()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Bea Bulk"));
        var ids = await SeedContactsAsync(new { firstName = "Ann", lastName = "Able" }, new { firstName = "Ben", lastName = "Baker" }, new { firstName = "Cid", lastName = "Cole" });
        await OpenContactsAsync();
        await Expect(ContactRows).ToHaveCountAsync(3);

        await ContactRows.Filter(new() { HasText = "Able" }).Locator("input[type=checkbox]").CheckAsync();
        await ContactRows.Filter(new() { HasText = "Baker" }).Locator("input[type=checkbox]").CheckAsync();
        await Expect(Page.GetByTestId("bulk-count")).ToContainTextAsync("2");
        await ScreenshotAsync("selected");

        await Page.GetByTestId("bulk-add-tags").ClickAsync();
        await Companies.Input("bulk-tags").FillAsync("vip, expo 2026");
        await Page.GetByTestId("bulk-apply").ClickAsync();
        await Expect(Page.Locator(".mud-snackbar")).ToContainTextAsync("2 done, 0 skipped");
        await Expect(Page.GetByTestId("bulk-bar")).ToHaveCountAsync(0);

        Assert.Equal(["vip", "expo 2026"], (await ContactAsync(ids[0])).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["vip", "expo 2026"], (await ContactAsync(ids[1])).GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty((await ContactAsync(ids[2])).GetProperty("tags").EnumerateArray());

        await Page.Locator("input[data-testid=select-all]").ClickAsync();
        await Expect(Page.GetByTestId("bulk-count")).ToContainTextAsync("3");
        await ScreenshotAsync("all-selected");
    }

    [Fact]
    public async Task Dragging_a_kanban_card_changes_the_lifecycle_stage()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Kai Kanban"));
        var ids = await SeedContactsAsync(
            new { firstName = "Lena", lastName = "Lead", lifecycleStage = "lead" },
            new { firstName = "Pia", lastName = "Prospect", lifecycleStage = "prospect" },
            new { firstName = "Nia", lastName = "None" });
        await OpenContactsAsync();
        await Page.GetByTestId("layout-kanban").ClickAsync();
        await Expect(Column("lead").GetByTestId("kanban-card")).ToContainTextAsync("Lena");
        await Expect(Column("lead").GetByTestId("kanban-count")).ToHaveTextAsync("1");
        await Expect(Column("-").GetByTestId("kanban-card")).ToContainTextAsync("Nia");
        await ScreenshotAsync("board");

        await Column("lead").GetByTestId("kanban-card").DragToAsync(Column("customer").Locator(".mud-drop-zone"));
        await Expect(Column("customer").GetByTestId("kanban-card")).ToContainTextAsync("Lena");
        await Expect(Column("customer").GetByTestId("kanban-count")).ToHaveTextAsync("1");
        await Expect(Column("lead").GetByTestId("kanban-count")).ToHaveTextAsync("0");
        Assert.Equal("customer", (await ContactAsync(ids[0])).GetProperty("lifecycleStage").GetString());

        // The card menu moves a card without dragging (keyboard and touch).
        await Column("prospect").GetByTestId("kanban-card-menu").ClickAsync();
        await Page.Locator("[data-testid=kanban-move][data-key=customer]").ClickAsync();
        await Expect(Column("customer").GetByTestId("kanban-count")).ToHaveTextAsync("2");
        Assert.Equal("customer", (await ContactAsync(ids[1])).GetProperty("lifecycleStage").GetString());
        await ScreenshotAsync("moved");
    }

    [Fact]
    public async Task A_custom_single_select_is_a_column_and_a_kanban()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Cus Tom"));
        var field = await Page.APIRequest.PostAsync("/api/v1/custom-fields", new()
        {
            DataObject = new { entityType = "contact", key = "tier", type = "singleSelect", label = "Tier", options = new[] { new { key = "gold", label = "Gold" }, new { key = "silver", label = "Silver" } } },
        });
        Assert.Equal(201, field.Status);
        var ids = await SeedContactsAsync(
            new { firstName = "Gil", lastName = "Gold", custom = new { tier = "gold" } },
            new { firstName = "Sil", lastName = "Silver", custom = new { tier = "silver" } });
        await OpenContactsAsync();

        await Page.GetByTestId("columns-open").ClickAsync();
        await Page.GetByTestId("column-item").Filter(new() { HasText = "Tier" }).Locator("input[type=checkbox]").CheckAsync();
        await Page.GetByTestId("columns-apply").ClickAsync();
        await Expect(CompaniesPage.Cell(ContactRows.Filter(new() { HasText = "Gil" }), "custom.tier")).ToHaveTextAsync("Gold");

        await Page.GetByTestId("layout-kanban").ClickAsync();
        await Companies.SelectAsync("group-by", "Tier");
        await Expect(Column("gold").GetByTestId("kanban-card")).ToContainTextAsync("Gil");
        await Column("silver").GetByTestId("kanban-card-menu").ClickAsync();
        await Page.Locator("[data-testid=kanban-move][data-key=gold]").ClickAsync();
        await Expect(Column("gold").GetByTestId("kanban-count")).ToHaveTextAsync("2");
        Assert.Equal("gold", (await ContactAsync(ids[1])).GetProperty("custom").GetProperty("tier").GetString());
        await ScreenshotAsync("kanban");
    }

    [GeneratedRegex(@"[?&]view=[0-9a-f-]{36}")]
    private static partial Regex ViewInUrl();
}

/// <summary>The same list features at phone width.</summary>
public sealed class PhoneListPageTests(E2EFixture fixture) : BrowserTest(fixture)
{
    protected override ViewportSize? Viewport => new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Table_bulk_bar_and_kanban_work_at_phone_width()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Pho Ne"));
        foreach (var (first, last, stage) in new[] { ("Ann", "Able", "lead"), ("Ben", "Baker", "customer"), ("Cid", "Cole", "lead") })
        {
            var response = await Page.APIRequest.PostAsync("/api/v1/contacts", new() { DataObject = new { firstName = first, lastName = last, lifecycleStage = stage } });
            Assert.Equal(201, response.Status);
        }

        await Page.GotoAsync("/contacts");
        await Accounts.WaitForInteractiveAsync(Page);
        var rows = Page.GetByTestId("contact-row");
        await Expect(rows).ToHaveCountAsync(3);
        await rows.First.Locator("input[type=checkbox]").CheckAsync();
        await Expect(Page.GetByTestId("bulk-bar")).ToBeVisibleAsync();
        await ScreenshotAsync("table");

        await Page.GetByTestId("bulk-clear").ClickAsync();
        await Page.GetByTestId("layout-kanban").ClickAsync();
        await Expect(Page.Locator("[data-testid=kanban-column][data-key=lead] [data-testid=kanban-count]")).ToHaveTextAsync("2");
        await ScreenshotAsync("kanban");
    }
}
