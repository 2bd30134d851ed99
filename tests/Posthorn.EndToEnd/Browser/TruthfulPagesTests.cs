using Microsoft.Playwright;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Browser;

/// <summary>
/// Pages that say the truth at a glance, in a real browser at 1280 and 390 px: distinct service
/// states and Re-enable only where it means something, a held delivery said to be held, a reload
/// after a POST that sends nothing again, local times with UTC in the tooltip, readable bodies with
/// copy buttons, the trouble banner for admins only, 404 in the site's layout. One journey: each
/// step needs the previous one, and one server keeps the time down.
/// </summary>
public sealed class TruthfulPagesTests(BrowserSite fixture) : IClassFixture<BrowserSite>
{
    [Fact]
    public async Task ServiceAndDeliveryPages_TellStateTimesAndBodies_AndPostsRedirect()
    {
        // A receiver that answers 410 Gone: the first push disables the service.
        await fixture.Site.CreateRepositoryAsync("truth");
        await using var gone = await Receiver.StartAsync();
        gone.Respond = (_, _) => Task.FromResult(410);
        var disabled = (await fixture.Site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/truth/services", body: new { url = gone.Url + "/hook" })).GetProperty("id").GetInt64();
        var healthy = (await fixture.Site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/truth/services", body: new { url = fixture.Receiver.Url + "/truth", format = "json" })).GetProperty("id").GetInt64();
        var work = await fixture.Site.Git.InitWithCommitsAsync(Path.Combine(fixture.Site.Folder.Path, "truth-work"), "README");
        await fixture.Site.Git.RunAsync(work, "push", fixture.Site.Url("truth"), "main");
        await gone.WaitForAsync(1);
        await fixture.Receiver.WaitForAsync(r => r.PathAndQuery == "/truth", 1);

        var page = await fixture.PageAsync("alice", width: 1280);
        await page.GotoAsync($"/alice/truth/admin/services/{disabled}");
        await ReloadUntilAsync(page, page.GetByTestId("service-state"), "disabled");
        await Assertions.Expect(page.GetByTestId("state-summary")).ToContainTextAsync("Disabled: nothing is sent until an administrator re-enables it");
        await Assertions.Expect(page.GetByTestId("disabled-reason")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Re-enable" })).ToBeVisibleAsync();
        // Times: the viewer's local time with "ago", UTC in the tooltip.
        var time = page.Locator("time[data-local]").First;
        await Assertions.Expect(time).ToContainTextAsync("ago");
        Assert.EndsWith("UTC", await time.GetAttributeAsync("title"), StringComparison.Ordinal);
        await BrowserSite.ScreenshotAsync(page, "truth-service-disabled-1280");

        // A second push: its delivery to the disabled service is held, and its page says so.
        await fixture.Site.Git.CommitFileAsync(work, "second.txt", "two\n", "second");
        await fixture.Site.Git.RunAsync(work, "push", fixture.Site.Url("truth"), "main");
        await page.GotoAsync($"/alice/truth/admin/services/{disabled}?status=pending");
        await ReloadUntilAsync(page, page.Locator("tbody tr").First, "pending");
        await Assertions.Expect(page.GetByTestId("queued")).ToContainTextAsync("1 delivery waiting");
        await page.Locator("tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByTestId("next-attempt")).ToContainTextAsync("Held: the service is disabled");
        Assert.Equal("5", await page.Locator("[data-refresh]").GetAttributeAsync("data-refresh")); // refreshes itself while pending

        // The healthy service: no Re-enable; Test redirects, so a reload sends no second ping.
        await page.GotoAsync($"/alice/truth/admin/services/{healthy}");
        await Assertions.Expect(page.GetByTestId("service-state")).ToHaveTextAsync("healthy");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Re-enable" })).ToHaveCountAsync(0);
        var before = fixture.Receiver.Requests.Count;
        await page.GetByRole(AriaRole.Button, new() { Name = "Test (send a ping)" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("test-result")).ToContainTextAsync("Ping delivered");
        Assert.DoesNotContain("handler=", page.Url, StringComparison.Ordinal);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("test-result")).ToHaveCountAsync(0); // the flash was shown once
        Assert.Equal(before + 1, fixture.Receiver.Requests.Count);

        // The push delivery: JSON indented, a copy button, request and response side by side.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Filter deliveries by status" }).GetByRole(AriaRole.Link, new() { Name = "Succeeded" }).ClickAsync();
        await page.Locator("tbody tr").Filter(new() { HasText = "push" }).First.GetByRole(AriaRole.Link).ClickAsync();
        var body = await page.GetByTestId("request-body").First.TextContentAsync();
        Assert.Contains("\n  \"canon_url\": ", body, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).First).ToBeVisibleAsync();
        var (requestBox, responseBox) = await BoxesAsync(page);
        Assert.Equal(requestBox.Y, responseBox.Y, 1.0);
        Assert.True(responseBox.X > requestBox.X);
        await BrowserSite.ScreenshotAsync(page, "truth-delivery-1280");

        // Phone width: stacked, nothing wider than the screen.
        var deliveryUrl = page.Url;
        var phone = await fixture.PageAsync("alice", width: 390);
        await phone.GotoAsync(deliveryUrl);
        var (phoneRequest, phoneResponse) = await BoxesAsync(phone);
        Assert.True(phoneResponse.Y > phoneRequest.Y);
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await BrowserSite.ScreenshotAsync(phone, "truth-delivery-390");
        await phone.GotoAsync($"/alice/truth/admin/services/{disabled}");
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await BrowserSite.ScreenshotAsync(phone, "truth-service-disabled-390");

        // The trouble banner: the admin sees it, a reader of the public repository does not.
        await page.GotoAsync("/alice/truth");
        await Assertions.Expect(page.GetByTestId("service-warning")).ToBeVisibleAsync();
        var reader = await fixture.PageAsync("bob", width: 1280);
        await reader.GotoAsync("/alice/truth");
        await Assertions.Expect(reader.GetByRole(AriaRole.Heading, new() { Name = "alice/truth" })).ToBeVisibleAsync();
        await Assertions.Expect(reader.GetByTestId("service-warning")).ToHaveCountAsync(0);

        // Error pages keep the layout and its navigation; the favicon is served.
        var missing = await reader.GotoAsync("/no/such/page/here");
        Assert.Equal(404, missing!.Status);
        await Assertions.Expect(reader.GetByTestId("error-status")).ToHaveTextAsync("404 Not found");
        await Assertions.Expect(reader.GetByRole(AriaRole.Navigation, new() { Name = "Site" })).ToBeVisibleAsync();
        var forbidden = await reader.GotoAsync("/alice/truth/admin/services");
        Assert.Equal(403, forbidden!.Status);
        await Assertions.Expect(reader.GetByRole(AriaRole.Navigation, new() { Name = "Site" })).ToBeVisibleAsync();
        await BrowserSite.ScreenshotAsync(reader, "truth-403-1280");
        Assert.Equal(200, (await reader.GotoAsync("/assets/favicon.svg"))!.Status);

        // Creating a token redirects: the token is shown once, and a reload creates no second one.
        await page.GotoAsync("/settings/tokens");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("ci");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Copy it now");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("tbody tr").Filter(new() { HasText = "ci" })).ToHaveCountAsync(1);
    }

    private static async Task<(LocatorBoundingBoxResult Request, LocatorBoundingBoxResult Response)> BoxesAsync(IPage page)
    {
        var grid = page.Locator(".grid2").First;
        var sections = grid.Locator("> section");
        return ((await sections.Nth(0).BoundingBoxAsync())!, (await sections.Nth(1).BoundingBoxAsync())!);
    }

    private static async Task ReloadUntilAsync(IPage page, ILocator locator, string text)
    {
        for (var i = 0; i < 50; i++)
        {
            if ((await locator.CountAsync()) > 0 && (await locator.TextContentAsync())?.Contains(text, StringComparison.Ordinal) == true)
            {
                break;
            }

            await Task.Delay(200);
            await page.ReloadAsync();
        }

        await Assertions.Expect(locator).ToContainTextAsync(text);
    }
}
