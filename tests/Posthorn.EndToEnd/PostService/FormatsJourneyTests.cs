using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>
/// The new formats through the real server process: a github service added with the CLI (format named
/// in mixed case, events and a branch filter), a bitbucket-cloud service through the API, one real push
/// of two branches, and what each receiver gets.
/// </summary>
public sealed class FormatsJourneyTests
{
    private const string Secret = "formats-journey-secret";

    [Fact]
    public async Task CliGithubWithBranchFilter_AndApiBitbucketCloud_ReceiveTheirOwnRequestsForOnePush()
    {
        await using var site = await Site.StartAsync();
        await using var receiver = await Receiver.StartAsync();
        var work = await Repos.CreateAsync(site, "formats");

        var added = await site.Server.CliAsync(null, "service", "add", "alice/formats", $"{receiver.Url}/gh",
            "--format", "GitHub", "--events", "push,pullrequest:fulfilled", "--branches", "main", "--secret", Secret);
        added.EnsureSuccess("service add");
        Assert.Contains("\tgithub", added.Stdout, StringComparison.Ordinal);
        var cloud = await site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/formats/services", body: new { url = $"{receiver.Url}/cloud", format = "bitbucket-cloud", events = new[] { "push" } });
        Assert.Equal(["push"], cloud.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, cloud.GetProperty("branches").GetArrayLength());

        using (var refused = await site.ApiAsync(HttpMethod.Post, "/api/repos/alice/formats/services", body: new { url = $"{receiver.Url}/x", events = new[] { "pullrequest:merged" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("events", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        }

        var services = await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/formats/services");
        var github = services.EnumerateArray().Single(s => s.GetProperty("format").GetString() == "github");
        Assert.Equal(["push", "pullrequest:fulfilled"], github.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["main"], github.GetProperty("branches").EnumerateArray().Select(e => e.GetString()));

        var mainTip = await Repos.CommitAsync(site, work, "a.txt");
        await site.Git.RunAsync(work, "checkout", "-q", "-b", "other");
        await Repos.CommitAsync(site, work, "b.txt");
        await Repos.PushAsync(site, work, "formats", "main", "other");

        var requests = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(90));
        var gh = Assert.Single(requests, r => r.PathAndQuery == "/gh");
        Assert.Equal(("push", "repo:push", "push"), (gh.Header("X-GitHub-Event"), gh.Header("X-Event-Key"), gh.Header("X-Posthorn-Event")));
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), gh.Body)), gh.Header("X-Hub-Signature-256"));
        var push = JsonDocument.Parse(gh.BodyText).RootElement;
        Assert.Equal(("refs/heads/main", mainTip), (push.GetProperty("ref").GetString(), push.GetProperty("after").GetString()));

        var bb = Assert.Single(requests, r => r.PathAndQuery == "/cloud");
        Assert.Equal("repo:push", bb.Header("X-Event-Key"));
        Assert.Equal(bb.Header("X-Posthorn-Delivery"), bb.Header("X-Request-UUID"));
        var names = JsonDocument.Parse(bb.BodyText).RootElement.GetProperty("push").GetProperty("changes").EnumerateArray()
            .Select(c => c.GetProperty("new").GetProperty("name").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["main", "other"], names);

        // Nothing else arrives for the filtered branch: the only other request would be a second /gh one.
        Assert.Equal(2, receiver.Requests.Count);
    }
}
