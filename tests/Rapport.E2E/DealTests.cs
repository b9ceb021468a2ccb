using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>Deals in the browser: create one, drag it across the pipeline's board, be told what a stage still needs, and follow it on its page.</summary>
public sealed class DealTests(E2EFixture fixture) : BrowserTest(fixture)
{
    private ILocator Column(string stageKey) => Page.Locator($"[data-testid=kanban-column][data-key='{_stages[stageKey]}']");

    private Dictionary<string, string> _stages = [];

    /// <summary>A MudBlazor input by its test id (the id lands on the input element itself).</summary>
    private ILocator Input(string testId) => Page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input:not([type=hidden])");

    private async Task OpenBoardAsync()
    {
        var pipelines = await (await Page.APIRequest.GetAsync("/api/v1/pipelines")).JsonAsync();
        _stages = pipelines!.Value.GetProperty("data")[0].GetProperty("stages").EnumerateArray()
            .ToDictionary(s => s.GetProperty("key").GetString()!, s => s.GetProperty("id").GetString()!);
        await Page.GotoAsync("/deals/board");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("kanban-column")).ToHaveCountAsync(6);
    }

    [Fact]
    public async Task A_new_deal_is_dragged_across_the_board_and_a_stage_missing_a_field_refuses_it()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Dana Deals"));
        await OpenBoardAsync();

        await Page.GetByTestId("new-deal").ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await Input("deal-name").FillAsync("Fleet telematics pilot");
        await Input("deal-amount").FillAsync("25000");
        await dialog.GetByTestId("deal-save").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        var card = Page.GetByTestId("kanban-card").Filter(new() { HasText = "Fleet telematics pilot" });
        await Expect(Column("qualification").GetByTestId("kanban-card")).ToContainTextAsync("Fleet telematics pilot");
        await Expect(Column("qualification").GetByTestId("kanban-total")).ToContainTextAsync("25,000.00 USD");

        // Proposal needs an amount, which the deal has: the drop is saved.
        await card.DragToAsync(Column("proposal").Locator(".mud-drop-zone"));
        await Expect(Column("proposal").GetByTestId("kanban-card")).ToContainTextAsync("Fleet telematics pilot");
        await Expect(Column("proposal").GetByTestId("kanban-count")).ToHaveTextAsync("1");
        await Expect(Column("qualification").GetByTestId("kanban-count")).ToHaveTextAsync("0");
        await Expect(Column("proposal").GetByTestId("kanban-total")).ToContainTextAsync("25,000.00 USD");

        // Negotiation also needs a close date: refused, named, and the card goes back.
        await card.DragToAsync(Column("negotiation").Locator(".mud-drop-zone"));
        await Expect(Page.Locator(".mud-snackbar.mud-alert-filled-error")).ToContainTextAsync("fill in: Close date");
        await Expect(Column("proposal").GetByTestId("kanban-card")).ToContainTextAsync("Fleet telematics pilot");
        await Expect(Column("negotiation").GetByTestId("kanban-card")).ToHaveCountAsync(0);
        await ScreenshotAsync("board");

        var deal = await (await Page.APIRequest.GetAsync("/api/v1/deals")).JsonAsync();
        Assert.Equal(_stages["proposal"], deal!.Value.GetProperty("data")[0].GetProperty("stageId").GetString());

        await card.GetByTestId("deal-card-name").ClickAsync();
        await Expect(Page.GetByTestId("deal-title")).ToHaveTextAsync("Fleet telematics pilot");
        await Expect(Page.GetByTestId("stage-visit")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("stage-visit").First).ToContainTextAsync("Proposal");
        await Expect(Page.GetByTestId("timeline-entry").First).ToBeVisibleAsync();
        await ScreenshotAsync("deal");
    }

    [Fact]
    public async Task Moving_to_lost_asks_for_the_reason_and_the_table_shows_the_deal()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Lou Lost"));
        var created = await Page.APIRequest.PostAsync("/api/v1/deals", new() { DataObject = new { name = "Office chairs" } });
        Assert.Equal(201, created.Status);
        await OpenBoardAsync();

        await Column("qualification").GetByTestId("kanban-card-menu").ClickAsync();
        await Page.Locator($"[data-testid=kanban-move][data-key='{_stages["lost"]}']").ClickAsync();
        await Page.Locator(".mud-dialog").GetByText("Bad timing").ClickAsync();
        await Page.GetByTestId("lost-reason-ok").ClickAsync();
        await Expect(Column("lost").GetByTestId("kanban-card")).ToContainTextAsync("Office chairs");

        await Page.GetByTestId("deals-table").ClickAsync();
        await Expect(Page.GetByTestId("deal-row")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("deal-row").GetByTestId("deal-stage")).ToHaveTextAsync("Lost");
        await ScreenshotAsync("table");
    }

    [Fact]
    public async Task An_administrator_adds_a_stage_to_the_default_pipeline()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Pia Pipeline"));
        await Page.GotoAsync("/settings/pipelines");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("pipeline-stage-chip")).ToHaveCountAsync(6);

        await Page.GetByTestId("edit-pipeline").ClickAsync();
        var stages = Page.GetByTestId("pipeline-stage");
        await Expect(stages).ToHaveCountAsync(6);
        await Page.GetByTestId("add-stage").ClickAsync();
        await Expect(stages).ToHaveCountAsync(7);
        await stages.Nth(4).Locator("input[data-testid=stage-label]").FillAsync("Contract review");
        await ScreenshotAsync("dialog");
        await Page.GetByTestId("pipeline-save").ClickAsync();

        await Expect(Page.Locator(".mud-dialog")).ToBeHiddenAsync();
        await Expect(Page.GetByTestId("pipeline-stage-chip")).ToHaveCountAsync(7);
        await Expect(Page.GetByTestId("pipeline-stage-chip").Nth(4)).ToContainTextAsync("Contract review");
        await ScreenshotAsync("pipelines");
    }
}

/// <summary>The board and the deal table in Chinese at phone width.</summary>
public sealed class PhoneDealTests(E2EFixture fixture) : BrowserTest(fixture)
{
    protected override ViewportSize? Viewport => new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Board_and_table_read_in_Chinese_at_phone_width()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("王小明"));
        foreach (var (name, amount) in new[] { ("年度办公用品采购", 86000), ("ERP 系统升级", 320000) })
        {
            Assert.Equal(201, (await Page.APIRequest.PostAsync("/api/v1/deals", new() { DataObject = new { name, amount, currency = "CNY" } })).Status);
        }

        await Page.GotoAsync("/account/language?culture=zh-Hans&returnUrl=%2Fdeals%2Fboard");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.Locator("h1")).ToHaveTextAsync("商机看板");
        await Expect(Page.GetByTestId("kanban-column").First).ToContainTextAsync("资格审查");
        await Expect(Page.GetByTestId("kanban-card")).ToHaveCountAsync(2);
        await ScreenshotAsync("board");

        await Page.GotoAsync("/deals");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("deal-row")).ToHaveCountAsync(2);
        await Expect(Page.Locator("h1")).ToHaveTextAsync("商机");
        await ScreenshotAsync("table");
    }
}
