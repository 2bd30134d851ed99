using System.Text.Json;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hosting;

/// <summary>Stock git against the real server: every kind of push is applied and recorded exactly as git applied it.</summary>
public sealed class GitOverHttpTests : IAsyncLifetime
{
    private Site site = null!;

    public async Task InitializeAsync()
    {
        site = await Site.StartAsync();
        await site.CreateRepositoryAsync("project");
    }

    public async Task DisposeAsync() => await site.DisposeAsync();

    [Fact]
    public async Task Clone_EmptyRepository_GivesEmptyClone()
    {
        var target = Path.Combine(site.Folder.Path, "empty-clone");
        var result = await site.Git.TryRunAsync(site.Folder.Path, "clone", site.Url("project"), target);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("empty repository", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushThenClone_RoundTripsHistoryAndIsRecorded()
    {
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "w1"), "a.txt", "b.txt");
        var head = (await site.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();
        await site.Git.RunAsync(work, "push", site.Url("project"), "main");

        var clone = Path.Combine(site.Folder.Path, "c1");
        await site.Git.RunAsync(site.Folder.Path, "clone", "-q", site.Url("project", user: null).Replace(".git", "", StringComparison.Ordinal), clone);
        Assert.Equal(head, (await site.Git.RunAsync(clone, "rev-parse", "HEAD")).Trim());
        Assert.Equal("content of b.txt\n", await File.ReadAllTextAsync(Path.Combine(clone, "b.txt")));

        var pushes = await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/project/pushes");
        var latest = pushes.GetProperty("pushes")[0];
        Assert.Equal("alice", latest.GetProperty("pusher").GetString());
        var update = latest.GetProperty("ref_updates")[0];
        Assert.Equal("refs/heads/main", update.GetProperty("ref").GetString());
        Assert.Equal(new string('0', 40), update.GetProperty("old").GetString());
        Assert.Equal(head, update.GetProperty("new").GetString());
    }

    [Fact]
    public async Task BranchesTagsForcePushAndDeletion_AreEachRecordedAsApplied()
    {
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "w2"), "one.txt");
        var url = site.Url("project");
        await site.Git.RunAsync(work, "push", url, "main");
        var first = (await site.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();

        await site.Git.RunAsync(work, "checkout", "-q", "-b", "feature");
        var feature = await site.Git.CommitFileAsync(work, "f.txt", "f\n", "Feature work");
        await site.Git.RunAsync(work, "push", url, "feature");
        await site.Git.RunAsync(work, "tag", "-a", "v1.0", "-m", "Release 1.0");
        await site.Git.RunAsync(work, "push", url, "v1.0");

        await site.Git.RunAsync(work, "commit", "-q", "--amend", "-m", "Feature work, rewritten");
        var rewritten = (await site.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();
        await site.Git.RunAsync(work, "push", "--force", url, "feature");
        await site.Git.RunAsync(work, "push", url, "--delete", "feature");

        var pushes = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/project/pushes")).GetProperty("pushes");
        var updates = pushes.EnumerateArray().Reverse().Select(p => p.GetProperty("ref_updates")[0]).ToList();
        Assert.Equal(5, updates.Count);
        AssertUpdate(updates[0], "refs/heads/main", Zero, first);
        AssertUpdate(updates[1], "refs/heads/feature", Zero, feature);
        Assert.Equal("refs/tags/v1.0", updates[2].GetProperty("ref").GetString());
        AssertUpdate(updates[3], "refs/heads/feature", feature, rewritten);
        AssertUpdate(updates[4], "refs/heads/feature", rewritten, Zero);

        var fetcher = Path.Combine(site.Folder.Path, "fetcher");
        await site.Git.RunAsync(site.Folder.Path, "clone", "-q", url, fetcher);
        var more = await site.Git.CommitFileAsync(work, "two.txt", "2\n", "Second");
        await site.Git.RunAsync(work, "checkout", "-q", "main");
        await site.Git.RunAsync(work, "merge", "-q", "--ff-only", "feature");
        await site.Git.RunAsync(work, "push", url, "main");
        await site.Git.RunAsync(fetcher, "fetch", "-q", "origin");
        Assert.Equal(more, (await site.Git.RunAsync(fetcher, "rev-parse", "origin/main")).Trim());
        Assert.Contains("v1.0", await site.Git.RunAsync(fetcher, "tag", "--list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushToUnknownRepository_FailsClearlyAndServerKeepsServing()
    {
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "w3"), "x.txt");
        var result = await site.Git.TryRunAsync(work, "push", site.Server.GitUrl("alice", "no-such-repo", "alice", Site.Password), "main");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not found", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.True((await site.Server.Http.GetAsync("/healthz")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task HostileRefName_IsRejectedByGitAndNotRecorded()
    {
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "w4"), "x.txt");
        var before = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/project/pushes")).GetProperty("pushes").GetArrayLength();

        // git refuses such names on the client; a raw ref spec with ".." is the classic path-escape attempt.
        var result = await site.Git.TryRunAsync(work, "push", site.Url("project"), "HEAD:refs/heads/../../evil");

        Assert.NotEqual(0, result.ExitCode);
        var after = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/project/pushes")).GetProperty("pushes").GetArrayLength();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task RefNameNotValidUtf8_IsRefusedWithAClearMessage_AndNothingMoves()
    {
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "w5"), "x.txt");
        await site.Git.RunAsync(work, "push", site.Url("project"), "main");
        var before = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/project/pushes")).GetProperty("pushes").GetArrayLength();
        // git accepts any byte from 0x80 in a ref name: "caf\350" and "caf\351" are two refs (Latin-1 é and è), and
        // neither is UTF-8. update-ref --stdin reads C-quoted names, so the bytes need not pass through a command line.
        await site.Git.RunAsync(work, "commit", "-q", "--allow-empty", "-m", "Latin-1 branch");
        var head = (await site.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();
        await site.Git.RunWithInputAsync(work, $"create \"refs/heads/caf\\350\" {head}\ncreate \"refs/heads/caf\\351\" {head}\n", "update-ref", "--stdin");

        var result = await site.Git.TryRunAsync(work, "push", site.Url("project"), "refs/heads/caf*:refs/heads/caf*", "main");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not valid UTF-8", result.Stderr, StringComparison.Ordinal);
        var bare = Path.Combine(site.Server.DataDirectory, "repositories", "alice", "project.git");
        Assert.Equal("refs/heads/main", (await site.Git.RunAsync(bare, "for-each-ref", "--format=%(refname)")).Trim());
        var after = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/project/pushes")).GetProperty("pushes").GetArrayLength();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task NonAsciiRefNameInUtf8_IsAcceptedAndRecordedAsIs()
    {
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "w6"), "x.txt");
        var head = (await site.Git.RunAsync(work, "rev-parse", "HEAD")).Trim();

        await site.Git.RunAsync(work, "push", site.Url("project"), "HEAD:refs/heads/café-☕");

        var latest = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/project/pushes")).GetProperty("pushes")[0];
        AssertUpdate(latest.GetProperty("ref_updates")[0], "refs/heads/café-☕", Zero, head);
    }

    private const string Zero = "0000000000000000000000000000000000000000";

    private static void AssertUpdate(JsonElement update, string refName, string oldId, string newId)
    {
        Assert.Equal(refName, update.GetProperty("ref").GetString());
        Assert.Equal(oldId, update.GetProperty("old").GetString());
        Assert.Equal(newId, update.GetProperty("new").GetString());
    }
}
