using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Posthorn.Tests.Cli;
using Posthorn.Tests.Delivery.Support;
using Posthorn.Tests.Git;

namespace Posthorn.Tests.Web.PullRequests;

/// <summary>
/// Where pull requests meet the other features, on the whole app in-process with real git over loopback:
/// the links the documents state open the real page, and a Mercurial repository is refused clearly.
/// </summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class PullRequestIntegrationTests
{
    /// <summary>
    /// Each format's pullrequest:created document, as a real receiver gets it, links a page that exists
    /// (the page route is /{owner}/{slug}/pull-requests/{id}); GitHub's states the commit count.
    /// </summary>
    [Fact]
    public async Task CreatedDocuments_HtmlLinksOpenThePullRequestPage_GithubCountsTheCommits()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var host = await AppHost.StartAsync();
        var token = await host.SignInAsAsync("ann");
        (await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "tool" })).EnsureSuccessStatusCode();
        foreach (var format in new[] { "json", "bitbucket-cloud", "github" })
        {
            (await host.Http.PostAsJsonAsync("/api/repos/ann/tool/services", new { url = $"{receiver.Url}{format}", format, events = new[] { "pullrequest:created" } }))
                .EnsureSuccessStatusCode();
        }

        using var git = new GitSandbox();
        var work = git.NewWorkTree("work", "README");
        var url = new UriBuilder(host.Http.BaseAddress!) { UserName = "ann", Password = token, Path = "/ann/tool.git" }.Uri.ToString();
        git.Git(work, $"push -q {url} HEAD:refs/heads/main");
        git.Git(work, "checkout -q -b feature");
        git.Commit(work, "one.txt");
        git.Commit(work, "two.txt");
        git.Git(work, $"push -q {url} feature");

        (await host.Http.PostAsJsonAsync("/api/repos/ann/tool/pullrequests", new { title = "Two files", source = "feature", destination = "main" })).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (receiver.Requests.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var documents = receiver.Requests.ToDictionary(r => r.PathAndQuery.TrimStart('/'), r => JsonDocument.Parse(r.Body).RootElement);
        Assert.Equal(["bitbucket-cloud", "github", "json"], documents.Keys.Order());
        var links = new[]
        {
            documents["json"].GetProperty("pullrequest").GetProperty("links").GetProperty("html").GetString()!,
            documents["bitbucket-cloud"].GetProperty("pullrequest").GetProperty("links").GetProperty("html").GetProperty("href").GetString()!,
            documents["github"].GetProperty("pull_request").GetProperty("html_url").GetString()!,
        };
        foreach (var link in links)
        {
            Assert.Equal("http://127.0.0.1/ann/tool/pull-requests/1", link);
            using var page = await host.Http.GetAsync(new Uri(link).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Two files", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(2, documents["github"].GetProperty("pull_request").GetProperty("commits").GetInt32());

        // A merge made by Posthorn is a push like any other, and /metrics counts it: main, feature, the merge.
        (await host.Http.PostAsJsonAsync("/api/repos/ann/tool/pullrequests/1/merge", new { strategy = "merge_commit" })).EnsureSuccessStatusCode();
        var metrics = await host.Http.GetStringAsync("/metrics");
        Assert.Matches(new System.Text.RegularExpressions.Regex("^posthorn_pushes_total(\\{[^}]*\\})? 3$", System.Text.RegularExpressions.RegexOptions.Multiline), metrics);
    }

    /// <summary>Pull requests are git-only: on a Mercurial repository the API, the pages and the tab refuse or hide them.</summary>
    [Fact]
    public async Task Mercurial_ApiRefusesWith400_PagesAnswer409_NoTab()
    {
        await using var host = await AppHost.StartAsync();
        await host.SignInAsAsync("ann");
        (await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "hgtool", scm = "hg" })).EnsureSuccessStatusCode();

        using var open = await host.Http.PostAsJsonAsync("/api/repos/ann/hgtool/pullrequests", new { title = "t", source = "feature", destination = "default" });
        Assert.Equal(HttpStatusCode.BadRequest, open.StatusCode);
        Assert.Contains("Pull requests need a git repository.", await open.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var anonymous = new HttpClient { BaseAddress = host.Http.BaseAddress };
        var overview = await anonymous.GetStringAsync("/ann/hgtool");
        Assert.DoesNotContain("/ann/hgtool/pull-requests", overview, StringComparison.Ordinal);
        // The empty repository's instructions use the public URL, without git's ".git".
        Assert.Contains("hg clone http://127.0.0.1/ann/hgtool\n", overview, StringComparison.Ordinal);
        using var list = await anonymous.GetAsync("/ann/hgtool/pull-requests");
        Assert.Equal(HttpStatusCode.Conflict, list.StatusCode);
        Assert.Contains("Mercurial", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mercurial_CliCreate_FailsWithOneLine()
    {
        using var cli = new CliRun();
        await cli.SeedAsync();
        Assert.Equal(0, (await cli.RunAsync(null, "repo", "create", "ann/hgtool", "--scm", "hg")).ExitCode);

        var (code, stdout, stderr) = await cli.RunAsync(null, "pr", "create", "ann/hgtool", "--source", "feature", "--destination", "default", "--title", "t", "--as", "ann");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal("posthorn: Pull requests need a git repository.", stderr.TrimEnd('\n'));
    }
}
