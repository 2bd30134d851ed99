using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Browser;

/// <summary>
/// The seed's workflow in a real browser: sign in, create a repository, Admin → Services, add the
/// POST URL, save, push with git, see the delivery and the receiver's response, redeliver, test.
/// One test because each step needs the previous one; each step asserts what a person would see.
/// </summary>
public sealed partial class SeedWorkflowTests(BrowserSite fixture) : IClassFixture<BrowserSite>
{
    [Fact]
    public async Task SeedWorkflow_AddServicePushAndRedeliver_ShowsEveryAttempt()
    {
        var page = await fixture.PageAsync("alice");
        await BrowserSite.ScreenshotAsync(page, "repositories-empty");

        // Create a repository through the form.
        await page.GetByRole(AriaRole.Link, new() { Name = "New repository" }).First.ClickAsync();
        await page.GetByLabel("Slug").FillAsync("hooked");
        await page.GetByLabel("Display name").FillAsync("Hooked project");
        await BrowserSite.ScreenshotAsync(page, "new-repository");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create repository" }).ClickAsync();
        await BrowserSite.ArrivedAtAsync(page, fixture.BaseUrl + "/alice/hooked");
        Assert.Equal(fixture.Site.Server.GitUrl("alice", "hooked").Replace(fixture.BaseUrl, "", StringComparison.Ordinal), new Uri(await page.Locator("#clone-url").InputValueAsync()).AbsolutePath);

        // Admin → Services → add POST service → URL → Save settings.
        await page.GetByRole(AriaRole.Link, new() { Name = "Admin: Services" }).ClickAsync();
        await page.GetByLabel("URL", new() { Exact = true }).FillAsync(fixture.Receiver.Url + "/hook");
        await BrowserSite.ScreenshotAsync(page, "services-empty");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await BrowserSite.ArrivedAtAsync(page, ServicePattern());
        var servicePage = page.Url.Split('?')[0];
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("POST service saved");

        // Push with real git; the delivery appears with the receiver's answer.
        var work = await fixture.Site.Git.InitWithCommitsAsync(Path.Combine(fixture.Site.Folder.Path, "hooked-work"), "README", "src/app.txt");
        await fixture.Site.Git.RunAsync(work, "push", fixture.Site.Url("hooked"), "main");
        await fixture.Receiver.WaitForAsync(1);
        var row = page.Locator("tbody tr").Filter(new() { HasText = "push" });
        await ReloadUntilAsync(page, row.First, "succeeded");
        await BrowserSite.ScreenshotAsync(page, "service");

        await row.First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByTestId("response-status").First).ToHaveTextAsync("200");
        await Assertions.Expect(page.GetByTestId("response-body").First).ToHaveTextAsync("received");
        var deliveryId = await page.GetByTestId("delivery-id").TextContentAsync();
        Assert.Equal(deliveryId, fixture.Receiver.Requests[0].Header("X-Posthorn-Delivery"));
        await BrowserSite.ScreenshotAsync(page, "delivery");

        // Redeliver: a second attempt on the same delivery, with the same id sent to the receiver.
        await page.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await fixture.Receiver.WaitForAsync(2);
        await Assertions.Expect(page.GetByTestId("delivery-id")).ToHaveTextAsync(deliveryId!);
        await ReloadUntilAsync(page, page.GetByTestId("attempt-count"), "2");
        await Assertions.Expect(page.GetByTestId("attempt")).ToHaveCountAsync(2);
        Assert.Equal(deliveryId, fixture.Receiver.Requests[1].Header("X-Posthorn-Delivery"));
        await BrowserSite.ScreenshotAsync(page, "delivery-redelivered");

        // Test sends a ping and shows the result inline.
        await page.GotoAsync(servicePage);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test (send a ping)" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("test-result")).ToContainTextAsync("Ping delivered");
        await Assertions.Expect(page.GetByTestId("test-result")).ToContainTextAsync("HTTP 200");
        await BrowserSite.ScreenshotAsync(page, "service-tested");

        // The repository page shows the push: who, refs, commits.
        await page.GotoAsync("/alice/hooked");
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("alice");
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("main");
        // HEAD of the bare repository as created (git's init.defaultBranch), whichever branch was pushed.
        Assert.Contains((await page.GetByTestId("default-branch").TextContentAsync())?.Trim(), new[] { "main", "master" });
        await BrowserSite.ScreenshotAsync(page, "repository");

        await page.GotoAsync("/");
        await BrowserSite.ScreenshotAsync(page, "repositories");
        await page.GotoAsync("/alice/hooked/admin/services");
        await BrowserSite.ScreenshotAsync(page, "services");

        // The same page at phone width stays usable: no horizontal page scroll.
        var phone = await fixture.PageAsync("alice", width: 375);
        await phone.GotoAsync("/alice/hooked/admin/services");
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await BrowserSite.ScreenshotAsync(phone, "services-phone");
    }

    [Fact]
    public async Task GoneReceiver_FixedAndReEnabled_FailedDeliveriesReplayedFromTheServicePage()
    {
        // The receiver answers 410 Gone: the delivery fails at once and the service is disabled.
        await fixture.Site.CreateRepositoryAsync("replayed");
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(n == 1 ? 410 : 200);
        var created = await fixture.Site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/replayed/services", body: new { url = receiver.Url + "/hook" });
        var work = await fixture.Site.Git.InitWithCommitsAsync(Path.Combine(fixture.Site.Folder.Path, "replayed-work"), "README");
        await fixture.Site.Git.RunAsync(work, "push", fixture.Site.Url("replayed"), "main");
        var first = Assert.Single(await receiver.WaitForAsync(1));

        var page = await fixture.PageAsync("alice");
        await page.GotoAsync($"/alice/replayed/admin/services/{created.GetProperty("id").GetInt64()}");
        await ReloadUntilAsync(page, page.GetByTestId("service-state"), "disabled");

        // The status filter: the failed delivery is listed under Failed, nothing under Succeeded.
        var filters = page.GetByRole(AriaRole.Navigation, new() { Name = "Filter deliveries by status" });
        await filters.GetByRole(AriaRole.Link, new() { Name = "Succeeded" }).ClickAsync();
        await Assertions.Expect(page.GetByText("No succeeded deliveries.")).ToBeVisibleAsync();
        await filters.GetByRole(AriaRole.Link, new() { Name = "Failed" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("failed");

        // Fixed: re-enable, then replay every failed delivery since yesterday (the field's default).
        await page.GetByRole(AriaRole.Button, new() { Name = "Re-enable" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("service-state")).Not.ToHaveTextAsync("disabled");
        await Assertions.Expect(page.GetByLabel("Failed since (UTC)")).Not.ToBeEmptyAsync();
        await BrowserSite.ScreenshotAsync(page, "service-replay");
        await page.GetByRole(AriaRole.Button, new() { Name = "Redeliver failed deliveries" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("1 failed delivery queued again");

        var replayed = (await receiver.WaitForAsync(2))[1];
        Assert.Equal(first.Header("X-Posthorn-Delivery"), replayed.Header("X-Posthorn-Delivery"));
        Assert.Equal(first.Body, replayed.Body);
        await page.GotoAsync($"/alice/replayed/admin/services/{created.GetProperty("id").GetInt64()}?status=succeeded");
        await ReloadUntilAsync(page, page.Locator("tbody tr").First, "succeeded");

        // An empty time is refused next to the field, and nothing is queued.
        await page.GetByLabel("Failed since (UTC)").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Redeliver failed deliveries" }).ClickAsync();
        await Assertions.Expect(page.Locator("#redeliver-since-error")).ToContainTextAsync("Enter the time");
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task LongHistories_ArePaged_OnTheRepositoryAndServicePages()
    {
        await fixture.Site.CreateRepositoryAsync("paged");
        await using var receiver = await Receiver.StartAsync(); // its own: the seed workflow counts the shared receiver's requests
        var created = await fixture.Site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/paged/services", body: new { url = receiver.Url + "/paged" });
        var id = created.GetProperty("id").GetInt64();

        // 21 pushes (one page of 20 and one more), 51 deliveries (50 pushes' worth of pings and one more).
        var work = await fixture.Site.Git.InitWithCommitsAsync(Path.Combine(fixture.Site.Folder.Path, "paged-work"), "README");
        for (var i = 0; i < 21; i++)
        {
            await fixture.Site.Git.RunAsync(work, "push", fixture.Site.Url("paged"), $"main:refs/heads/b{i:00}");
        }

        for (var i = 0; i < 30; i++)
        {
            using var ping = await fixture.Site.ApiAsync(HttpMethod.Post, $"/api/repos/alice/paged/services/{id}/test");
            ping.EnsureSuccessStatusCode();
        }

        var page = await fixture.PageAsync("alice");
        await page.GotoAsync("/alice/paged");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("b20");
        await page.GetByRole(AriaRole.Link, new() { Name = "Older pushes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Older pushes" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("b00");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Older pushes" })).ToHaveCountAsync(0);

        await page.GotoAsync($"/alice/paged/admin/services/{id}");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(50);
        await page.GetByRole(AriaRole.Link, new() { Name = "Older deliveries" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("push");
        await page.GetByRole(AriaRole.Link, new() { Name = "Newest deliveries" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(50);
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("ping");
    }

    [GeneratedRegex(@"/alice/hooked/admin/services/\d+(\?.*)?$")]
    private static partial Regex ServicePattern();

    /// <summary>Deliveries settle in the background just after the receiver answers; reload until the page shows it (bounded).</summary>
    private static async Task ReloadUntilAsync(IPage page, ILocator locator, string text)
    {
        for (var i = 0; i < 50; i++)
        {
            await page.ReloadAsync();
            if ((await locator.CountAsync()) > 0 && (await locator.TextContentAsync())?.Contains(text, StringComparison.Ordinal) == true)
            {
                break;
            }

            await Task.Delay(200);
        }

        await Assertions.Expect(locator).ToContainTextAsync(text);
    }
}
