using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Browser;

/// <summary>Who may see what in the browser, sign-in errors, anti-forgery, tokens, and the failing-service warning.</summary>
public sealed class AccessTests(BrowserSite fixture) : IClassFixture<BrowserSite>
{
    [Fact]
    public async Task SignIn_WrongPassword_ShowsErrorAndStaysSignedOut()
    {
        var page = await fixture.PageAsync(user: null);
        await page.GotoAsync("/signin");
        await page.GetByLabel("Username").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong username or password.");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await BrowserSite.ScreenshotAsync(page, "signin-error");
    }

    [Fact]
    public async Task NonAdmin_SeesNoAdminTab_AndAdminUrlsAreRefused()
    {
        await fixture.Site.CreateRepositoryAsync("guarded");
        await fixture.Site.CreateRepositoryAsync("hidden", isPrivate: true);

        var bob = await fixture.PageAsync("bob");
        await bob.GotoAsync("/alice/guarded");
        await Assertions.Expect(bob.GetByRole(AriaRole.Heading, new() { Name = "alice/guarded" })).ToBeVisibleAsync();
        await Assertions.Expect(bob.GetByRole(AriaRole.Link, new() { Name = "Admin: Services" })).ToHaveCountAsync(0);
        await BrowserSite.ScreenshotAsync(bob, "repository-reader");

        // Can read but is not an administrator: 403. Cannot read (private, no grant): 404, like a missing repository.
        foreach (var path in new[] { "/alice/guarded/admin", "/alice/guarded/admin/services", "/alice/guarded/admin/permissions" })
        {
            Assert.Equal(403, (await bob.GotoAsync(path))!.Status);
        }

        var eve = await fixture.PageAsync("eve");
        Assert.Equal(404, (await eve.GotoAsync("/alice/hidden"))!.Status);
        Assert.Equal(404, (await eve.GotoAsync("/alice/hidden/admin/services"))!.Status);
        Assert.Equal(404, (await eve.GotoAsync("/alice/nothing-here/admin/services"))!.Status);

        // dave has an admin grant: the tab is there and works.
        var dave = await fixture.PageAsync("dave");
        await dave.GotoAsync("/alice/hidden");
        await dave.GetByRole(AriaRole.Link, new() { Name = "Admin: Permissions" }).ClickAsync();
        await Assertions.Expect(dave.Locator("tbody")).ToContainTextAsync("bob");
        await BrowserSite.ScreenshotAsync(dave, "permissions");
    }

    [Fact]
    public async Task FormPost_WithCookieButNoAntiforgeryToken_IsRejected()
    {
        var page = await fixture.PageAsync("alice");
        var cookies = await page.Context.CookiesAsync();
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/new")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Slug"] = "forged" }),
        };
        forged.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));

        using var response = await http.SendAsync(forged);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(404, (await page.GotoAsync("/alice/forged"))!.Status);
    }

    [Fact]
    public async Task Tokens_CreateShowsOnceAndRevokeRemoves()
    {
        var page = await fixture.PageAsync("carol");
        await page.Locator("details.menu > summary").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Access tokens" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var token = await page.Locator("#new-token").InputValueAsync();
        Assert.False(string.IsNullOrEmpty(token));
        await BrowserSite.ScreenshotAsync(page, "tokens");

        // The token works for the API, and is never shown again.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/user");
        request.Headers.Authorization = new("Bearer", token);
        using var ok = await fixture.Site.Server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await page.GotoAsync("/settings/tokens");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke token laptop" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Token revoked.");
        await Assertions.Expect(page.GetByText("No tokens yet.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task FailingService_ShowsWarningOnRepositoryPage()
    {
        await fixture.Site.CreateRepositoryAsync("flaky");
        await using var failing = await Receiver.StartAsync();
        failing.Respond = (_, _) => Task.FromResult(500);
        var created = await fixture.Site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/flaky/services", body: new { url = failing.Url + "/hook" });
        var work = await fixture.Site.Git.InitWithCommitsAsync(Path.Combine(fixture.Site.Folder.Path, "flaky-work"), "README");
        await fixture.Site.Git.RunAsync(work, "push", fixture.Site.Url("flaky"), "main");
        await failing.WaitForAsync(1);

        var page = await fixture.PageAsync("alice");
        var warning = page.GetByTestId("service-warning");
        for (var i = 0; i < 50 && await warning.CountAsync() == 0; i++)
        {
            // The failure is recorded just after the receiver answers.
            await Task.Delay(100);
            await page.GotoAsync("/alice/flaky");
        }

        await Assertions.Expect(warning).ToContainTextAsync("failing");
        await BrowserSite.ScreenshotAsync(page, "repository-warning");
        await page.GotoAsync($"/alice/flaky/admin/services/{created.GetProperty("id").GetInt64()}");
        await Assertions.Expect(page.GetByTestId("service-state")).ToHaveTextAsync("failing");
        await BrowserSite.ScreenshotAsync(page, "service-failing");

        // The banner is for those who can act on it: a reader does not see it.
        var bob = await fixture.PageAsync("bob");
        await bob.GotoAsync("/alice/flaky");
        await Assertions.Expect(bob.GetByRole(AriaRole.Heading, new() { Name = "alice/flaky" })).ToBeVisibleAsync();
        await Assertions.Expect(bob.GetByTestId("service-warning")).ToHaveCountAsync(0);
    }
}
