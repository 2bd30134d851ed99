using System.Net;
using Microsoft.Playwright;
using Posthorn.EndToEnd.Browser;

namespace Posthorn.EndToEnd.PullRequests;

/// <summary>
/// Who may do what with pull requests, cell by cell: reading needs read; opening, merging and declining need
/// write. Private repositories answer anonymous callers 401 (pages: sign in) and signed-in strangers 404.
/// </summary>
public sealed partial class PullRequestTests(PullRequestSite fixture) : IClassFixture<PullRequestSite>
{
    [Theory]
    [InlineData("pr-open", null, HttpStatusCode.OK, "401")]
    [InlineData("pr-open", "eve", HttpStatusCode.OK, "403")]
    [InlineData("pr-open", "bob", HttpStatusCode.OK, "403")]
    [InlineData("pr-open", "carol", HttpStatusCode.OK, "allowed")]
    [InlineData("pr-open", "dave", HttpStatusCode.OK, "allowed")]
    [InlineData("pr-secret", null, HttpStatusCode.Unauthorized, "401")]
    [InlineData("pr-secret", "eve", HttpStatusCode.NotFound, "404")]
    [InlineData("pr-secret", "bob", HttpStatusCode.OK, "403")]
    [InlineData("pr-secret", "carol", HttpStatusCode.OK, "allowed")]
    [InlineData("pr-secret", "dave", HttpStatusCode.OK, "allowed")]
    public async Task Api(string slug, string? user, HttpStatusCode read, string write)
    {
        var site = fixture.Site;
        using var list = await site.ApiAsync(HttpMethod.Get, $"/api/repos/alice/{slug}/pullrequests?state=OPEN", user);
        using var one = await site.ApiAsync(HttpMethod.Get, $"/api/repos/alice/{slug}/pullrequests/1", user);
        // Side-effect free write attempts: a missing pull request and a missing branch.
        using var merge = await site.ApiAsync(HttpMethod.Post, $"/api/repos/alice/{slug}/pullrequests/999/merge", user, new { strategy = "squash" });
        using var decline = await site.ApiAsync(HttpMethod.Post, $"/api/repos/alice/{slug}/pullrequests/999/decline", user);
        using var create = await site.ApiAsync(HttpMethod.Post, $"/api/repos/alice/{slug}/pullrequests", user, new { title = "x", source = "nope", destination = "main" });

        Assert.Equal((read, read), (list.StatusCode, one.StatusCode));
        if (read == HttpStatusCode.OK)
        {
            Assert.Contains("\"title\":\"Seeded\"", await one.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var (response, allowedStatus) in new[] { (merge, HttpStatusCode.NotFound), (decline, HttpStatusCode.NotFound), (create, HttpStatusCode.BadRequest) })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"error\"", body, StringComparison.Ordinal);
            switch (write)
            {
                case "allowed":
                    Assert.Equal(allowedStatus, response.StatusCode);
                    Assert.DoesNotContain("Repository", body, StringComparison.Ordinal);
                    break;
                case "404":
                    Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                    Assert.Contains($"Repository 'alice/{slug}' not found", body, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Equal(write, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }
    }

    [Fact]
    public async Task Api_CreateThenMergeWithoutABody_MergesWithAMergeCommit()
    {
        var site = fixture.Site;
        await fixture.CreateRepositoryAsync("pr-api");
        await fixture.PushMainAndFeatureAsync("pr-api");

        using var created = await site.ApiAsync(HttpMethod.Post, "/api/repos/alice/pr-api/pullrequests", "carol",
            new { title = "Over the API", description = "Body.", source = "feature", destination = "main" });
        using var merged = await site.ApiAsync(HttpMethod.Post, "/api/repos/alice/pr-api/pullrequests/1/merge", "dave");
        using var again = await site.ApiAsync(HttpMethod.Post, "/api/repos/alice/pr-api/pullrequests/1/merge", "dave");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/repos/alice/pr-api/pullrequests/1", created.Headers.Location?.OriginalString);
        var text = await merged.Content.ReadAsStringAsync();
        Assert.True(merged.StatusCode == HttpStatusCode.OK, $"merge answered {(int)merged.StatusCode}: {text}");
        var body = System.Text.Json.JsonDocument.Parse(text).RootElement;
        Assert.Equal(("MERGED", "dave", "carol"), (body.GetProperty("state").GetString(), body.GetProperty("closed_by").GetString(), body.GetProperty("author").GetString()));
        var hash = body.GetProperty("merge_commit").GetProperty("hash").GetString();
        Assert.Contains(hash!, await site.Git.RunAsync(site.Folder.Path, "ls-remote", site.Url("pr-api"), "refs/heads/main"), StringComparison.Ordinal);
        Assert.EndsWith("/alice/pr-api/pull-requests/1", body.GetProperty("links").GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already merged", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_Merge_WithTheSourceCommitReviewed_RefusesAMalformedOrStaleOne_MergesTheRightOne()
    {
        var site = fixture.Site;
        await fixture.CreateRepositoryAsync("pr-sha");
        await fixture.PushMainAndFeatureAsync("pr-sha");
        using var created = await site.ApiAsync(HttpMethod.Post, "/api/repos/alice/pr-sha/pullrequests", "carol",
            new { title = "Reviewed", source = "feature", destination = "main" });
        var reviewed = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("source").GetProperty("commit").GetString();

        using var malformed = await site.ApiAsync(HttpMethod.Post, "/api/repos/alice/pr-sha/pullrequests/1/merge", "carol", new { source_commit = "HEAD" });
        using var stale = await site.ApiAsync(HttpMethod.Post, "/api/repos/alice/pr-sha/pullrequests/1/merge", "carol", new { source_commit = new string('a', 40) });
        using var merged = await site.ApiAsync(HttpMethod.Post, "/api/repos/alice/pr-sha/pullrequests/1/merge", "carol", new { strategy = "squash", source_commit = reviewed });

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("source_commit", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("you reviewed", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(merged.StatusCode == HttpStatusCode.OK, await merged.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Api_Merge_UnknownStrategy_Is400()
    {
        using var response = await fixture.Site.ApiAsync(HttpMethod.Post, "/api/repos/alice/pr-open/pullrequests/1/merge", "carol", new { strategy = "octopus" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Pages()
    {
        var browser = fixture.Browser;
        var anonymous = await browser.PageAsync(user: null);
        Assert.Equal(200, (await anonymous.GotoAsync("/alice/pr-open/pull-requests"))!.Status);
        Assert.Equal(200, (await anonymous.GotoAsync("/alice/pr-open/pull-requests/1"))!.Status);
        await Assertions.Expect(anonymous.GetByTestId("merge")).ToHaveCountAsync(0);
        await anonymous.GotoAsync("/alice/pr-secret/pull-requests/1");
        Assert.Contains("/signin", anonymous.Url, StringComparison.Ordinal);

        var eve = await browser.PageAsync("eve");
        Assert.Equal(404, (await eve.GotoAsync("/alice/pr-secret/pull-requests"))!.Status);
        Assert.Equal(404, (await eve.GotoAsync("/alice/pr-secret/pull-requests/1"))!.Status);
        Assert.Equal(404, (await eve.GotoAsync("/alice/pr-secret/pull-requests/new"))!.Status);
        Assert.Equal(403, (await eve.GotoAsync("/alice/pr-open/pull-requests/new"))!.Status);

        var bob = await browser.PageAsync("bob");
        Assert.Equal(200, (await bob.GotoAsync("/alice/pr-secret/pull-requests/1"))!.Status);
        await Assertions.Expect(bob.GetByTestId("merge-state")).ToHaveTextAsync("mergeable");
        await Assertions.Expect(bob.GetByTestId("merge")).ToHaveCountAsync(0);
        await Assertions.Expect(bob.GetByTestId("decline")).ToHaveCountAsync(0);
        Assert.Equal(403, (await bob.GotoAsync("/alice/pr-secret/pull-requests/new"))!.Status);
        Assert.Equal(404, (await bob.GotoAsync("/alice/pr-secret/pull-requests/42"))!.Status);

        var carol = await browser.PageAsync("carol");
        await carol.GotoAsync("/alice/pr-secret/pull-requests/1");
        await Assertions.Expect(carol.GetByTestId("merge")).ToBeVisibleAsync();
        await Assertions.Expect(carol.GetByTestId("decline")).ToBeVisibleAsync();
        Assert.Equal(200, (await carol.GotoAsync("/alice/pr-secret/pull-requests/new"))!.Status);
    }

    [Fact]
    public async Task Cli_ListShowDecline()
    {
        var server = fixture.Site.Server;
        var created = await server.CliAsync(null, "pr", "create", "alice/pr-open", "--source", "feature", "--title", "From the CLI", "--description", "Twice.", "--as", "carol");
        var list = await server.CliAsync(null, "pr", "list", "alice/pr-open", "--state", "OPEN");
        var declined = await server.CliAsync(null, "pr", "decline", "alice/pr-open", "2", "--as", "dave");
        var show = await server.CliAsync(null, "pr", "show", "alice/pr-open", "2");
        var missing = await server.CliAsync(null, "pr", "merge", "alice/pr-open", "99", "--as", "dave");

        Assert.Contains("opened pull request #2", created.EnsureSuccess("pr create").Stdout, StringComparison.Ordinal);
        Assert.Contains("#2\tOPEN\tfeature -> main\tFrom the CLI", list.EnsureSuccess("pr list").Stdout, StringComparison.Ordinal);
        Assert.Contains("declined pull request #2", declined.EnsureSuccess("pr decline").Stdout, StringComparison.Ordinal);
        Assert.Contains("state:       DECLINED", show.EnsureSuccess("pr show").Stdout, StringComparison.Ordinal);
        Assert.Contains("by dave", show.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Pull request #99 not found", missing.Stderr, StringComparison.Ordinal);
    }
}
