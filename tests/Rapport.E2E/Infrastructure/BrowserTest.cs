using Microsoft.Playwright;

namespace Rapport.E2E.Infrastructure;

/// <summary>
/// Base for browser tests: a fresh context and page per test, full-page screenshots named
/// <c>&lt;test&gt;-&lt;step&gt;.png</c>, and a last screenshot when a test fails.
/// </summary>
public abstract class BrowserTest(E2EFixture fixture) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _extraContexts = [];
    private IBrowserContext? _context;
    private IPage? _page;

    protected E2EFixture Fixture { get; } = fixture;

    protected IPage Page => _page ?? throw new InvalidOperationException("InitializeAsync has not run.");

    /// <summary>Overridden by tests that need another screen size.</summary>
    protected virtual ViewportSize? Viewport => null;

    public virtual async ValueTask InitializeAsync()
    {
        _context = await Fixture.NewContextAsync(Viewport);
        _page = await _context.NewPageAsync();
    }

    /// <summary>Saves a full-page screenshot to TestResults/screenshots/&lt;test&gt;-&lt;step&gt;.png.</summary>
    protected Task ScreenshotAsync(string step) => ScreenshotAsync(Page, step);

    protected static async Task ScreenshotAsync(IPage page, string step)
    {
        var test = TestContext.Current.TestMethod?.MethodName ?? "test";
        await page.ScreenshotAsync(new() { Path = Path.Combine(E2EFixture.ScreenshotDirectory, $"{test}-{step}.png"), FullPage = true });
    }

    /// <summary>Another signed-out browser (own cookies), for checks that must not reuse this one's cookies.</summary>
    protected async Task<IPage> NewBrowserPageAsync()
    {
        var context = await Fixture.NewContextAsync(Viewport);
        _extraContexts.Add(context);
        return await context.NewPageAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_page is not null && TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            try
            {
                await ScreenshotAsync("failed");
            }
            catch (PlaywrightException)
            {
                // The page is gone; the failure message is what matters.
            }
        }

        foreach (var context in _extraContexts)
        {
            await context.CloseAsync();
        }

        if (_context is not null)
        {
            await _context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }
}
