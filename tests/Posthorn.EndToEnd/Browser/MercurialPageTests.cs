using Microsoft.Playwright;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Browser;

/// <summary>A Mercurial repository made through the new-repository form shows hg's clone URL and commands, then the push.</summary>
public sealed class MercurialPageTests(BrowserSite fixture) : IClassFixture<BrowserSite>
{
    [Fact]
    public async Task NewMercurialRepository_ShowsHgCommands_ThenTheHgPush()
    {
        var page = await fixture.PageAsync("alice");
        await page.GotoAsync("/new");
        await page.GetByLabel("Slug").FillAsync("mercurial");
        await page.GetByLabel("Mercurial").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create repository" }).ClickAsync();
        await BrowserSite.ArrivedAtAsync(page, fixture.BaseUrl + "/alice/mercurial");

        var cloneUrl = await page.Locator("#clone-url").InputValueAsync();
        Assert.Equal(fixture.BaseUrl + "/alice/mercurial", cloneUrl);
        await Assertions.Expect(page.GetByTestId("scm")).ToHaveTextAsync("Mercurial");
        await Assertions.Expect(page.GetByTestId("default-branch")).ToHaveTextAsync("default");
        await Assertions.Expect(page.GetByTestId("hg-commands")).ToContainTextAsync("hg clone " + cloneUrl);
        await BrowserSite.ScreenshotAsync(page, "mercurial-repository-empty");

        var hg = new HgCli(fixture.Site.Folder.Sub("hg-browser"));
        var work = Path.Combine(fixture.Site.Folder.Path, "hg-browser-work");
        await hg.RunAsync(fixture.Site.Folder.Path, "clone", HgCli.Url(fixture.Site, "mercurial"), work);
        var node = await hg.CommitFileAsync(work, "README", "hi\n", "first hg changeset");
        await hg.RunAsync(work, "push", HgCli.Url(fixture.Site, "mercurial"));

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("default");
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync(node[..7]);
        await BrowserSite.ScreenshotAsync(page, "mercurial-repository");
    }
}
