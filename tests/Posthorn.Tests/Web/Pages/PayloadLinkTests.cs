using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Posthorn.Tests.Delivery.Support;
using Posthorn.Tests.Git;

namespace Posthorn.Tests.Web.Pages;

/// <summary>
/// Every page link a push's github and bitbucket-cloud documents carry answers with a page about
/// that commit or change (they were 404s): commit pages, compare pages, and Bitbucket's paths sent on to them.
/// </summary>
public sealed class PayloadLinkTests : IAsyncLifetime
{
    private AppHost host = null!;
    private LoopbackReceiver receiver = null!;
    private readonly GitSandbox git = new();

    public async Task InitializeAsync()
    {
        host = await AppHost.StartAsync();
        receiver = await LoopbackReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await host.DisposeAsync();
        git.Dispose();
    }

    [Fact]
    public async Task TheLinksInAPushsDocuments_LeadToPagesAboutItsCommits()
    {
        var token = await host.SignInAsAsync("ann");
        (await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "tool" })).EnsureSuccessStatusCode();
        var work = git.NewWorkTree("work", "README");
        var url = new UriBuilder(host.Http.BaseAddress!) { UserName = "ann", Password = token, Path = "/ann/tool.git" }.Uri.ToString();
        git.Git(work, $"push -q {url} HEAD:refs/heads/main");
        foreach (var format in new[] { "bitbucket-cloud", "github" })
        {
            (await host.Http.PostAsJsonAsync("/api/repos/ann/tool/services", new { url = $"{receiver.Url}{format}", format })).EnsureSuccessStatusCode();
        }

        var before = git.RevParse(work, "HEAD");
        var first = git.Commit(work, "docs/guide.md", "how to\n", "Write the guide\n");
        var second = git.Commit(work, "src/app.c", "int main;\n", "Add the app\n");
        git.Git(work, $"push -q {url} HEAD:refs/heads/main");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (receiver.Requests.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var documents = receiver.Requests.ToDictionary(r => r.PathAndQuery.TrimStart('/'), r => JsonDocument.Parse(r.Body).RootElement);
        var github = documents["github"];
        var cloud = documents["bitbucket-cloud"].GetProperty("push").GetProperty("changes")[0];
        var links = new Dictionary<string, string>
        {
            ["github compare"] = github.GetProperty("compare").GetString()!,
            ["github commit"] = github.GetProperty("commits")[0].GetProperty("url").GetString()!,
            ["github head commit"] = github.GetProperty("head_commit").GetProperty("url").GetString()!,
            ["cloud change"] = cloud.GetProperty("links").GetProperty("html").GetProperty("href").GetString()!,
            ["cloud new"] = cloud.GetProperty("new").GetProperty("links").GetProperty("html").GetProperty("href").GetString()!,
            ["cloud commit"] = cloud.GetProperty("commits")[0].GetProperty("links").GetProperty("html").GetProperty("href").GetString()!,
        };

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true }) { BaseAddress = host.Http.BaseAddress };
        foreach (var (name, link) in links)
        {
            // The documents carry the public URL (http://127.0.0.1 here); the path is what matters.
            using var response = await browser.GetAsync(new Uri(link).PathAndQuery);
            var page = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {link} answered {(int)response.StatusCode}");
            Assert.True(page.Contains(first, StringComparison.Ordinal) || page.Contains(second, StringComparison.Ordinal), $"{name}: {link} shows neither pushed commit");
        }

        var compare = await browser.GetStringAsync(new Uri(links["github compare"]).PathAndQuery);
        Assert.Contains("Write the guide", compare, StringComparison.Ordinal);
        Assert.Contains("docs/guide.md", compare, StringComparison.Ordinal);
        Assert.Contains("src/app.c", compare, StringComparison.Ordinal);
        Assert.DoesNotContain("README", compare, StringComparison.Ordinal); // before the compared range
        var commit = await browser.GetStringAsync($"/ann/tool/commit/{first}");
        Assert.Contains("docs/guide.md", commit, StringComparison.Ordinal);
        Assert.DoesNotContain("src/app.c", commit, StringComparison.Ordinal);
        Assert.Contains("how to", commit, StringComparison.Ordinal); // the diff (Razor writes its "+" as &#x2B;)
        Assert.Contains("README", await browser.GetStringAsync($"/ann/tool/commit/{before}"), StringComparison.Ordinal); // a root commit
    }

    [Theory]
    [InlineData("/ann/tool/commit/0123456789abcdef0123456789abcdef01234567")]
    [InlineData("/ann/tool/commit/-n")]
    [InlineData("/ann/tool/commit/main~1")]
    [InlineData("/ann/tool/commit/main:README")]
    [InlineData("/ann/tool/compare/main...nope")]
    [InlineData("/ann/tool/compare/--output=x...main")]
    public async Task AnUnknownOrHostileRevision_Is404(string path)
    {
        var token = await host.SignInAsAsync("ann");
        (await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "tool" })).EnsureSuccessStatusCode();
        var work = git.NewWorkTree("work", "README");
        git.Git(work, $"push -q {new UriBuilder(host.Http.BaseAddress!) { UserName = "ann", Password = token, Path = "/ann/tool.git" }.Uri} HEAD:refs/heads/main");
        using var anonymous = new HttpClient { BaseAddress = host.Http.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/ann/tool/commit/main")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task APrivateRepositorysCommitsAndComparisons_Are404ToOthers_ThroughTheRedirectsToo()
    {
        var ann = await host.SignInAsAsync("ann");
        (await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "secret", is_private = true })).EnsureSuccessStatusCode();
        var work = git.NewWorkTree("work", "README");
        git.Git(work, $"push -q {new UriBuilder(host.Http.BaseAddress!) { UserName = "ann", Password = ann, Path = "/ann/secret.git" }.Uri} HEAD:refs/heads/main");
        var bob = await host.SignInAsAsync("bob", admin: false);

        foreach (var (path, page) in new[]
        {
            ("/ann/secret/commit/main", "/ann/secret/commit/main"),
            ("/ann/secret/compare/main", "/ann/secret/compare/main"),
            ("/ann/secret/commits/main", "/ann/secret/commit/main"),
            ("/ann/secret/src/main", "/ann/secret/commit/main"),
            ("/ann/secret/branch/main", "/ann/secret/compare/main"),
            ("/ann/nothing/commits/main", "/ann/nothing/commit/main"),
        })
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Http.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bob);
            using var first = await client.GetAsync(path);
            var location = first.StatusCode == HttpStatusCode.Redirect ? first.Headers.Location!.OriginalString : path;
            Assert.Equal(page, location); // a redirect says nothing of the repository: the same for one that does not exist
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(location)).StatusCode);
        }

        using var owner = new HttpClient { BaseAddress = host.Http.BaseAddress };
        owner.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ann);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/ann/secret/commit/main")).StatusCode);
    }
}
