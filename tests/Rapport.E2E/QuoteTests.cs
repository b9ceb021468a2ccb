using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>A quote in the browser: written on its deal with a product from the price book, totals as the server computes them, then printed and accepted.</summary>
public sealed class QuoteTests(E2EFixture fixture) : BrowserTest(fixture)
{
    /// <summary>A MudBlazor input by its test id (the id lands on the input element itself).</summary>
    private static ILocator Input(ILocator scope, string testId) => scope.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input:not([type=hidden])");

    [Fact]
    public async Task A_quote_is_written_on_a_deal_printed_and_accepted_into_an_order()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Quincy Quotes"));
        var api = Page.APIRequest;
        var product = await (await api.PostAsync("/api/v1/products", new() { DataObject = new { sku = "SOLAR-400", name = "Solar panel 400 W" } })).JsonAsync();
        var book = await (await api.PostAsync("/api/v1/price-books", new() { DataObject = new { name = "Standard", currency = "USD" } })).JsonAsync();
        var price = await api.PutAsync($"/api/v1/price-books/{book!.Value.GetProperty("id").GetString()}/prices/{product!.Value.GetProperty("id").GetString()}",
            new() { DataObject = new { unitPrice = 120m } });
        Assert.Equal(201, price.Status);
        var company = await (await api.PostAsync("/api/v1/companies", new() { DataObject = new { name = "Sunny Roofs Ltd" } })).JsonAsync();
        var deal = await (await api.PostAsync("/api/v1/deals", new()
        {
            DataObject = new { name = "Rooftop array", amount = 550, currency = "USD", companyId = company!.Value.GetProperty("id").GetString() },
        })).JsonAsync();
        var settings = await api.PatchAsync("/api/v1/workspace", new()
        {
            DataObject = new { address = "88 Harbour Street\nShanghai 200000" }, Headers = new Dictionary<string, string> { ["If-Match"] = "*" },
        });
        Assert.Equal(200, settings.Status);

        await Page.GotoAsync($"/deals/{deal!.Value.GetProperty("id").GetString()}");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("new-quote").ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        var first = dialog.GetByTestId("quote-line").First;
        await Input(first, "quote-line-product").FillAsync("SOLAR");
        await Expect(Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Solar panel 400 W" })).ToBeVisibleAsync();
        await Input(first, "quote-line-product").PressAsync("Enter"); // the first match is highlighted
        await Expect(Input(first, "quote-line-description")).ToHaveValueAsync("Solar panel 400 W");
        await Expect(Input(first, "quote-line-price")).ToHaveValueAsync("120");
        await Input(first, "quote-line-quantity").FillAsync("3");
        await Input(first, "quote-line-discount").FillAsync("10");
        await Input(first, "quote-line-tax").FillAsync("8");
        await Expect(first.GetByTestId("quote-line-net")).ToHaveTextAsync("324.00 USD");

        await dialog.GetByTestId("quote-add-line").ClickAsync();
        var second = dialog.GetByTestId("quote-line").Nth(1);
        await Input(second, "quote-line-description").FillAsync("Installation");
        await Input(second, "quote-line-price").FillAsync("199.995");
        await Expect(second.GetByTestId("quote-line-net")).ToHaveTextAsync("200.00 USD"); // half away from zero
        await Expect(dialog.GetByTestId("quote-total")).ToHaveTextAsync("549.92 USD");
        await ScreenshotAsync("editor");
        await dialog.GetByTestId("quote-save").ClickAsync();

        await Expect(Page.GetByTestId("quote-title")).ToHaveTextAsync("Quote Q-00001");
        await Expect(Page.GetByTestId("document-total")).ToHaveTextAsync("549.92 USD");
        await ScreenshotAsync("quote");

        await Page.GetByTestId("quote-print").ClickAsync();
        await Expect(Page.GetByTestId("quote-sheet")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("print-total")).ToHaveTextAsync("549.92 USD");
        await Expect(Page.GetByTestId("print-customer")).ToHaveTextAsync("Sunny Roofs Ltd");
        await Expect(Page.GetByTestId("print-address")).ToContainTextAsync("88 Harbour Street");
        await Expect(Page.GetByTestId("print-lines").Locator("tbody tr")).ToHaveCountAsync(2);
        await ScreenshotAsync("print");
        await Page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(Page.GetByTestId("print-now")).ToBeHiddenAsync();
        await ScreenshotAsync("print-media");
        await Page.EmulateMediaAsync(new() { Media = Media.Screen });

        await Page.GetByTestId("print-back").ClickAsync();
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("quote-accept").ClickAsync();
        await Expect(Page.GetByTestId("order-title")).ToHaveTextAsync("Order SO-00001");
        await Expect(Page.GetByTestId("order-status")).ToHaveTextAsync("Confirmed");
        await Expect(Page.GetByTestId("document-total")).ToHaveTextAsync("549.92 USD");
        await ScreenshotAsync("order");

        // The order starts a contract (its total by default), listed on the deal; all of it readable at phone width.
        await Page.GetByTestId("order-new-contract").ClickAsync();
        await Page.Locator(".mud-dialog").GetByTestId("contract-save").ClickAsync();
        await Expect(Page.GetByTestId("contract-title")).ToHaveTextAsync("SO-00001");
        await Page.SetViewportSizeAsync(390, 844);
        await Page.GotoAsync($"/deals/{deal.Value.GetProperty("id").GetString()}");
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("deal-quote")).ToContainTextAsync("Accepted");
        await Expect(Page.GetByTestId("deal-order")).ToContainTextAsync("549.92 USD");
        await Expect(Page.GetByTestId("deal-contract")).ToContainTextAsync("SO-00001");
        await Page.GetByTestId("deal-quotes").ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync("deal-phone");
    }

    [Fact]
    public async Task The_quotes_list_filters_by_status_and_searches_by_number_or_deal()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New("Lisa List"));
        var api = Page.APIRequest;
        foreach (var (name, currency) in new[] { ("Harbour lights", "USD"), ("港口照明", "CNY") })
        {
            var deal = await (await api.PostAsync("/api/v1/deals", new() { DataObject = new { name, currency } })).JsonAsync();
            var quote = await api.PostAsync("/api/v1/quotes", new()
            {
                DataObject = new { dealId = deal!.Value.GetProperty("id").GetString(), validUntil = "2030-01-31", lines = new[] { new { description = "Lamps", quantity = 4m, unitPrice = 250m } } },
            });
            Assert.Equal(201, quote.Status);
        }

        await Page.GotoAsync("/");
        await Accounts.WaitForInteractiveAsync(Page);
        await Page.GetByTestId("nav-quotes").ClickAsync();
        await Expect(Page.GetByTestId("quote-row")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("quotes")).ToContainTextAsync("Harbour lights");
        await Expect(Page.GetByTestId("quotes")).ToContainTextAsync("1,000.00 USD");
        await ScreenshotAsync("quotes-list");

        await Input(Page.Locator("body"), "quote-search").FillAsync("港口");
        await Input(Page.Locator("body"), "quote-search").PressAsync("Enter");
        await Expect(Page.GetByTestId("quote-row")).ToHaveCountAsync(1);
        await Expect(Page.GetByTestId("quote-row")).ToHaveTextAsync("Q-00002");
        await Input(Page.Locator("body"), "quote-search").FillAsync("");
        await Input(Page.Locator("body"), "quote-search").PressAsync("Enter");
        await Page.GetByTestId("quote-filter-sent").ClickAsync();
        await Expect(Page.GetByTestId("quotes-empty")).ToBeVisibleAsync();
        await Page.SetViewportSizeAsync(390, 844);
        await Page.GetByTestId("quote-filter-draft").ClickAsync();
        await Expect(Page.GetByTestId("quote-row")).ToHaveCountAsync(2);
        await ScreenshotAsync("quotes-list-phone");
    }
}
