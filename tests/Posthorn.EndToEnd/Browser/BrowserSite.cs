using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Browser;

/// <summary>
/// One running Posthorn, one receiver and one headless Debian Chromium shared by a test class
/// (starting Chromium costs about a second; a context per test keeps cookies apart).
/// Never downloads a browser: the Playwright driver ships in the NuGet package and the browser is
/// /usr/bin/chromium, installed by scripts/ensure-test-deps.
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public Site Site { get; private set; } = null!;

    public Receiver Receiver { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => Site.Server.BaseUrl;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/ensure-test-deps (apt-get install -y chromium).");
        }

        Site = await Site.StartAsync();
        Receiver = await Receiver.StartAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (own cookies), signed in through the real form unless <paramref name="user"/> is null.</summary>
    public async Task<IPage> PageAsync(string? user = "alice", int width = 1100)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = width, Height = 800 } });
        // Generous deadlines: a shared machine under load took more than 15 s to answer a form that
        // runs git; waits end as soon as their condition holds, so a passing run is no slower.
        context.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();
        if (user is not null)
        {
            await page.GotoAsync("/signin");
            await page.GetByLabel("Username").FillAsync(user);
            await page.GetByLabel("Password").FillAsync(Site.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await ArrivedAtAsync(page, BaseUrl + "/");
        }

        return page;
    }

    /// <summary>
    /// Waits (up to the page deadline) until the page is at <paramref name="url"/>. Not WaitForURLAsync:
    /// it checks the address or load state and only then subscribes to the event, so an event that
    /// arrives in between is lost and it waits out its whole timeout on a page already loaded. The
    /// assertion polls the address instead.
    /// </summary>
    public static Task ArrivedAtAsync(IPage page, string url) =>
        Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 60_000 });

    /// <inheritdoc cref="ArrivedAtAsync(IPage, string)"/>
    public static Task ArrivedAtAsync(IPage page, Regex url) =>
        Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 60_000 });

    /// <summary>Full-page screenshot to artifacts/screenshots/{name}.png under the repository root, for people to look at.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepoRoot.Path, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        if (Site is not null)
        {
            await Site.DisposeAsync();
        }
    }
}
