using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Posthorn.EndToEnd.Browser;

namespace Posthorn.EndToEnd.PullRequests;

public sealed partial class PullRequestTests
{
    /// <summary>
    /// The whole journey in a real browser: a writer opens a pull request with the form, sees its commits,
    /// changed files with line counts, the diff and "mergeable", merges it; the merge is a recorded push by
    /// the writer, and the service's page shows the pullrequest:fulfilled delivery the receiver got.
    /// </summary>
    [Fact]
    public async Task Flow_OpenWithTheForm_Merge_TheServiceShowsTheFulfilledDelivery()
    {
        var site = fixture.Site;
        var receiver = fixture.Browser.Receiver;
        await fixture.CreateRepositoryAsync("reviewed");
        await site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/reviewed/services", "alice",
            new { url = receiver.Url + "/reviewed", events = new[] { "push", "pullrequest:created", "pullrequest:fulfilled" } });
        await fixture.PushMainAndFeatureAsync("reviewed");

        var carol = await fixture.Browser.PageAsync("carol");
        await carol.GotoAsync("/alice/reviewed");
        await carol.GetByRole(AriaRole.Link, new() { Name = "Pull requests" }).ClickAsync();
        await Assertions.Expect(carol.GetByText("No open pull requests.")).ToBeVisibleAsync();
        await carol.GetByTestId("new-pull-request").ClickAsync();
        await carol.GetByLabel("Source branch").FillAsync("feature");
        await carol.GetByLabel("Title").FillAsync("Add the feature");
        await carol.GetByLabel("Description").FillAsync("Three lines.");
        await BrowserSite.ScreenshotAsync(carol, "pull-request-new");
        await carol.GetByRole(AriaRole.Button, new() { Name = "Open pull request" }).ClickAsync();
        await BrowserSite.ArrivedAtAsync(carol, new Regex("/alice/reviewed/pull-requests/1$"));

        await Assertions.Expect(carol.GetByTestId("pull-request-state")).ToHaveTextAsync("OPEN");
        await Assertions.Expect(carol.GetByTestId("merge-state")).ToHaveTextAsync("mergeable");
        await Assertions.Expect(carol.GetByTestId("changed-files")).ToContainTextAsync("feature.txt");
        await Assertions.Expect(carol.GetByTestId("changed-files")).ToContainTextAsync("+3");
        await Assertions.Expect(carol.GetByTestId("diff")).ToContainTextAsync("+three");
        await Assertions.Expect(carol.GetByText("Add the feature").Last).ToBeVisibleAsync();
        await BrowserSite.ScreenshotAsync(carol, "pull-request-open");

        await carol.GetByLabel("Strategy").SelectOptionAsync("merge_commit");
        await carol.GetByTestId("merge").ClickAsync();
        await Assertions.Expect(carol.GetByTestId("pull-request-state")).ToHaveTextAsync("MERGED");
        await Assertions.Expect(carol.GetByTestId("merge")).ToHaveCountAsync(0);
        var mergeCommit = (await carol.GetByTestId("merge-commit").TextContentAsync())!.Trim();
        await BrowserSite.ScreenshotAsync(carol, "pull-request-merged");

        // The merge is a push by carol, and the receiver got created then fulfilled.
        var pushes = await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/reviewed/pushes", "alice");
        var latest = pushes.GetProperty("pushes")[0];
        Assert.Equal("carol", latest.GetProperty("pusher").GetString());
        Assert.Equal(mergeCommit, latest.GetProperty("ref_updates")[0].GetProperty("new").GetString());
        var fulfilled = (await receiver.WaitForAsync(r => r.Header("X-Event-Key") == "pullrequest:fulfilled", 1))[0];
        Assert.Contains(mergeCommit, fulfilled.BodyText, StringComparison.Ordinal);

        // The administrator sees the delivery on the service's page.
        var alice = await fixture.Browser.PageAsync("alice");
        await alice.GotoAsync("/alice/reviewed/admin/services");
        await alice.Locator("a[href*='/admin/services/']").First.ClickAsync();
        var row = alice.Locator("tbody tr").Filter(new() { HasText = "pullrequest:fulfilled" });
        for (var i = 0; i < 50 && !((await row.CountAsync()) > 0 && (await row.First.TextContentAsync())!.Contains("succeeded", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(200);
            await alice.ReloadAsync();
        }

        await Assertions.Expect(row.First).ToContainTextAsync("succeeded");
        await BrowserSite.ScreenshotAsync(alice, "service-pull-request-delivery");

        await carol.GotoAsync("/alice/reviewed/pull-requests?state=MERGED");
        await Assertions.Expect(carol.Locator("tbody tr")).ToContainTextAsync("Add the feature");
        await BrowserSite.ScreenshotAsync(carol, "pull-requests-merged");
    }

    /// <summary>
    /// A writer reviews the page, someone pushes to the source, the writer clicks Merge: refused with the
    /// reason, nothing merged. Then the source is forced onto a history of its own: the page says it cannot
    /// be merged instead of failing.
    /// </summary>
    [Fact]
    public async Task Page_MergeAfterTheSourceMoved_IsRefused_AnUnrelatedSourceIsSaid()
    {
        var site = fixture.Site;
        await fixture.CreateRepositoryAsync("moved");
        await fixture.PushMainAndFeatureAsync("moved");
        await site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/moved/pullrequests", "alice", new { title = "Moving", source = "feature", destination = "main" });
        var carol = await fixture.Browser.PageAsync("carol");
        await carol.GotoAsync("/alice/moved/pull-requests/1");
        await Assertions.Expect(carol.GetByTestId("merge-state")).ToHaveTextAsync("mergeable");

        var work = Path.Combine(site.Folder.Path, "work-moved");
        await site.Git.CommitFileAsync(work, "late.txt", "late\n", "Add a late change");
        await site.Git.RunAsync(work, "push", "-q", site.Url("moved"), "feature");
        await carol.GetByTestId("merge").ClickAsync();

        await Assertions.Expect(carol.GetByTestId("pull-request-problem")).ToContainTextAsync("you reviewed");
        await Assertions.Expect(carol.GetByTestId("pull-request-state")).ToHaveTextAsync("OPEN");

        await site.Git.RunAsync(work, "checkout", "-q", "--orphan", "alone");
        await site.Git.RunAsync(work, "rm", "-rfq", ".");
        await site.Git.CommitFileAsync(work, "alone.txt", "alone\n", "Start over");
        await site.Git.RunAsync(work, "push", "-q", "-f", site.Url("moved"), "alone:feature");

        Assert.Equal(200, (await carol.GotoAsync("/alice/moved/pull-requests/1"))!.Status);
        await Assertions.Expect(carol.GetByTestId("merge-state")).ToHaveTextAsync("cannot be merged: the branches share no history");
        Assert.Equal(200, (await carol.GotoAsync("/alice/moved/compare/main...feature"))!.Status);
        await Assertions.Expect(carol.GetByTestId("compare-unrelated")).ToBeVisibleAsync();
        await Assertions.Expect(carol.GetByText("alone.txt").First).ToBeVisibleAsync();
    }
}
