using System.Text.Json;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Repositories;

namespace Posthorn.Tests.Payloads;

/// <summary>The Test button's ping per format, and URL-template facts read from every format's documents.</summary>
public sealed class PingAndFactsTests
{
    private static readonly Repository Repo = new(5, "alice", "project", "Project", false, false, "", "git", DateTimeOffset.UnixEpoch);

    private static PostService Service(PayloadFormat format) =>
        new(42, 5, "https://u:secret@ci.example.com/hook", format, true, [], ServiceHealth.Healthy, DateTimeOffset.UnixEpoch) { Events = ["push", "pullrequest:created", "pullrequest:fulfilled"] };

    [Fact]
    public void GithubPing_HasZenHookIdAndTheHooksConfig_UrlMasked()
    {
        var ping = JsonDocument.Parse(PingPayload.For(Service(PayloadFormat.Github), Repo, "bob", "https://git.example.com")).RootElement;

        Assert.False(string.IsNullOrEmpty(ping.GetProperty("zen").GetString()));
        Assert.Equal(42, ping.GetProperty("hook_id").GetInt64());
        Assert.Equal(["push", "pull_request"], ping.GetProperty("hook").GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("https://u:***@ci.example.com/hook", ping.GetProperty("hook").GetProperty("config").GetProperty("url").GetString());
        Assert.Equal("alice/project", ping.GetProperty("repository").GetProperty("full_name").GetString());
        Assert.Equal("bob", ping.GetProperty("sender").GetProperty("login").GetString());
    }

    /// <summary>The GitHub document's clone_url is the one that clones: no ".git" for a Mercurial repository, as on its page.</summary>
    [Fact]
    public void GithubCloneUrl_GitRepositoryEndsInDotGit_MercurialIsTheRepositoryUrl()
    {
        string CloneUrl(Repository repository) =>
            JsonDocument.Parse(PingPayload.For(Service(PayloadFormat.Github), repository, "bob", "https://git.example.com")).RootElement
                .GetProperty("repository").GetProperty("clone_url").GetString()!;

        Assert.Equal("https://git.example.com/alice/project.git", CloneUrl(Repo));
        Assert.Equal("https://git.example.com/alice/project", CloneUrl(Repo with { Scm = Scms.Mercurial }));
    }

    [Fact]
    public void OriginalPing_Unchanged_BitbucketCloudPing_HasActorAndRepository()
    {
        Assert.Equal(PingPayload.Write(Repo, "bob", "https://git.example.com"), PingPayload.For(Service(PayloadFormat.Json), Repo, "bob", "https://git.example.com"));
        var cloud = JsonDocument.Parse(PingPayload.For(Service(PayloadFormat.BitbucketCloud), Repo, "bob", "https://git.example.com")).RootElement;
        Assert.Equal("bob", cloud.GetProperty("actor").GetProperty("nickname").GetString());
        Assert.Equal("ping", cloud.GetProperty("event").GetString());
    }

    [Fact]
    public void Facts_FromAPullRequestDocument_NameTheDestinationAndMergeCommit()
    {
        var pr = new PullRequest(5, 3, "t", "", "bob", PullRequestState.Merged, "feature", new string('b', 40), "main", new string('c', 40), new string('d', 40), "carol", null,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var e = new PullRequestEvent(PullRequestEventKind.Fulfilled, Repo, pr, "carol", DateTimeOffset.UnixEpoch);
        foreach (var document in new[] { PullRequestPayloadWriter.Write(e, "https://g"), Core.Payloads.Github.GithubPullRequestWriter.Write(e, "https://g"), Core.Payloads.BitbucketCloud.BitbucketCloudPullRequestWriter.Write(e, "https://g") })
        {
            var facts = PayloadFacts.Of(document);
            Assert.Equal(("main", "refs/heads/main", new string('d', 40)), (facts["branch"], facts["ref"], facts["commit"]));
            Assert.Equal(("alice", "project", "carol"), (facts["owner"], facts["repository"], facts["user"]));
        }
    }
}
