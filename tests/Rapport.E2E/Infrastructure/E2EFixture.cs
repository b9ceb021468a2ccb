using Microsoft.Playwright;
using Rapport.E2E.Infrastructure;

[assembly: AssemblyFixture(typeof(E2EFixture))]

namespace Rapport.E2E.Infrastructure;

/// <summary>
/// One server and one headless Chromium for the whole run; every test gets its own browser context
/// (own cookies) and signs up its own workspace, so tests never see each other's data.
/// </summary>
public sealed class E2EFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private RapportServer? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public RapportServer Server => _server ?? throw new InvalidOperationException("The server is not running.");

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private static bool ChromiumMissing => !File.Exists(ChromiumPath);

    public async ValueTask InitializeAsync()
    {
        if (ChromiumMissing)
        {
            return; // Each test skips (or fails on CI) in NewContextAsync: no point starting the server.
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        _server = await RapportServer.StartAsync(TestContext.Current.CancellationToken);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    /// <summary>A fresh browser context (no cookies) whose relative URLs go to the server.</summary>
    public async Task<IBrowserContext> NewContextAsync(ViewportSize? viewport = null)
    {
        if (ChromiumMissing)
        {
            var message = $"{ChromiumPath} is not installed (apt-get install chromium): the browser tests cannot run.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var context = await _browser!.NewContextAsync(new()
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
