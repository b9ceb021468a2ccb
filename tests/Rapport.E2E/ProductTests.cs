using System.Text.Json;
using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>The sales catalog in a real browser: a product created on /products and priced on /price-books.</summary>
public sealed class ProductTests(E2EFixture fixture) : BrowserTest(fixture)
{
    private ILocator Dialog => Page.Locator(".mud-dialog");

    /// <summary>The &lt;input&gt; of a MudBlazor field by its data-testid (on the input itself in MudBlazor 9, on a wrapper before).</summary>
    private ILocator Input(string testId) => Page.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input:not([type=hidden])");

    [Fact]
    public async Task Admin_creates_a_product_and_sets_its_price_in_the_default_book()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New());
        await Page.GetByTestId("nav-products").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/products$"));
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("products-empty")).ToBeVisibleAsync();

        await Page.GetByTestId("new-product").ClickAsync();
        await Expect(Dialog).ToBeVisibleAsync();
        await Input("product-sku").FillAsync("CRM-PRO");
        await Input("product-name").FillAsync("Rapport Pro licence");
        await Input("product-unit").FillAsync("seat");
        await Input("product-description").FillAsync("One seat for one year.");
        await ScreenshotAsync("dialog");
        await Page.GetByTestId("product-save").ClickAsync();
        await Expect(Dialog).ToBeHiddenAsync();
        var row = Page.GetByTestId("product-row").Filter(new() { HasText = "CRM-PRO" });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("td[data-column='name']")).ToHaveTextAsync("Rapport Pro licence");
        await ScreenshotAsync("products");

        // A duplicate SKU is refused next to the field.
        await Page.GetByTestId("new-product").ClickAsync();
        await Input("product-sku").FillAsync("crm-pro");
        await Input("product-name").FillAsync("Copy");
        await Page.GetByTestId("product-save").ClickAsync();
        await Expect(Dialog.Locator(".mud-input-helper-text.mud-input-error").First).ToContainTextAsync("Another product already has this SKU.");
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Page.GetByTestId("nav-price-books").ClickAsync();
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(Page.GetByTestId("price-books-empty")).ToBeVisibleAsync();
        await Page.GetByTestId("new-price-book").ClickAsync();
        await Expect(Dialog).ToBeVisibleAsync();
        await Input("price-book-name").FillAsync("Standard");
        await Input("price-book-currency").FillAsync("CNY");
        await Page.GetByTestId("price-book-save").ClickAsync();
        await Expect(Dialog).ToBeHiddenAsync();
        await Expect(Page.GetByTestId("price-book-default-chip")).ToBeVisibleAsync();

        var priceRow = Page.Locator("[data-testid='price-row'][data-sku='CRM-PRO']");
        var price = priceRow.Locator("input[data-testid='price-input'], [data-testid='price-input'] input");
        await Expect(price).ToHaveValueAsync("");
        await price.FillAsync("1280.5");
        await Expect(priceRow.GetByTestId("price-save")).ToBeEnabledAsync();
        await priceRow.GetByTestId("price-save").ClickAsync();
        await Expect(Page.GetByText("Price of CRM-PRO saved.")).ToBeVisibleAsync();
        await Expect(priceRow.GetByTestId("price-remove")).ToBeVisibleAsync();
        await ScreenshotAsync("price");

        // Saved for real: after a reload the grid shows it, and the price lookup quotes will use finds it in the default book.
        await Page.ReloadAsync();
        await Accounts.WaitForInteractiveAsync(Page);
        await Expect(price).ToHaveValueAsync("1280.5");
        var products = JsonDocument.Parse(await (await Page.APIRequest.GetAsync("/api/v1/products?q=CRM-PRO")).TextAsync()).RootElement;
        var id = products.GetProperty("data")[0].GetProperty("id").GetString();
        var lookup = await Page.APIRequest.GetAsync($"/api/v1/products/{id}/price?currency=CNY");
        Assert.True(lookup.Ok, await lookup.TextAsync());
        var quoted = JsonDocument.Parse(await lookup.TextAsync()).RootElement;
        Assert.Equal(1280.5m, quoted.GetProperty("unitPrice").GetDecimal());
        Assert.Equal("Standard", quoted.GetProperty("priceBookName").GetString());
    }
}

/// <summary>The catalog pages at phone width: nothing scrolls sideways.</summary>
public sealed class ProductPhoneTests(E2EFixture fixture) : BrowserTest(fixture)
{
    protected override ViewportSize? Viewport => new() { Width = 390, Height = 844 };

    [Fact]
    public async Task Catalog_pages_fit_a_phone()
    {
        await Accounts.SignUpByPostAsync(Page, Account.New());
        var product = await Page.APIRequest.PostAsync("/api/v1/products", new() { DataObject = new { sku = "HW-ROUTER-5G-ENTERPRISE", name = "Enterprise 5G router with a long name", unit = "piece" } });
        Assert.True(product.Ok, await product.TextAsync());
        var book = await Page.APIRequest.PostAsync("/api/v1/price-books", new() { DataObject = new { name = "Standard", currency = "CNY" } });
        Assert.True(book.Ok, await book.TextAsync());

        foreach (var (path, ready) in new[] { ("/products", "product-row"), ("/price-books", "price-row"), ("/settings/exchange-rates", "rate-add") })
        {
            await Page.GotoAsync(path);
            await Accounts.WaitForInteractiveAsync(Page);
            await Expect(Page.GetByTestId(ready).First).ToBeVisibleAsync();
            var width = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{path} is {width}px wide at a 390px viewport.");
            await ScreenshotAsync(path.Trim('/').Replace('/', '-'));
        }
    }
}
