using System.Text.Json;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;

namespace Posthorn.Tests.Git.Mercurial;

/// <summary>Real hg clients push to and pull from Mercurial repositories served over loopback; every push is recorded once, with the seed's Mercurial payload.</summary>
public sealed class HgPushTests : IAsyncLifetime
{
    private readonly HgSandbox sandbox = new();
    private HgHost host = null!;

    public async Task InitializeAsync() => host = await HgHost.StartAsync();

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        sandbox.Dispose();
    }

    [Fact]
    public async Task PushOfThreeChangesets_IsRecordedOnce_WithEveryPayloadFieldAsHgLogShowsIt()
    {
        var repository = await host.CreateRepositoryAsync("alice", "tools");
        var work = await CloneAsync("tools");
        sandbox.Write(work, "a.txt", "one\n");
        await sandbox.HgAsync(work, "add", "a.txt");
        await sandbox.HgAsync(work, "commit", "-m", "First line", "-u", "Alice Liddell <alice@example.com>", "-d", "2012-05-30 06:07:03 +0200");
        sandbox.Write(work, "a.txt", "one\ntwo\n");
        sandbox.Write(work, "docs/b.txt", "b\n");
        await sandbox.HgAsync(work, "add", "docs/b.txt");
        await sandbox.HgAsync(work, "commit", "-m", "Second\n\nwith a body", "-u", "Stranger <nobody@example.org>");
        await sandbox.HgAsync(work, "remove", "a.txt");
        await sandbox.HgAsync(work, "commit", "-m", "Remove a", "-u", "plainuser");

        await sandbox.HgAsync(work, "push", host.Url("alice", "tools"));

        var push = Assert.Single(await host.PushesAsync(repository));
        Assert.Equal(3, push.CommitCount);
        using var payload = JsonDocument.Parse((await host.Storage.Pushes.GetPayloadAsync(push.Id, CancellationToken.None))!);
        var root = payload.RootElement;
        Assert.Equal("hg", root.GetProperty("repository").GetProperty("scm").GetString());
        Assert.Equal("alice", root.GetProperty("user").GetString());
        var commits = root.GetProperty("commits").EnumerateArray().ToList();
        Assert.Equal(3, commits.Count);
        var log = (await sandbox.HgAsync(work, "log", "-r", "0:tip", "-T", "{rev}\\x1f{node}\\x1f{branch}\\x1f{p1node}\\x1f{desc}\\x1f{author}\\x1f{date|hgdate}\\x1f{join(file_adds,',')}\\x1f{join(file_mods,',')}\\x1f{join(file_dels,',')}\\x1e")).Stdout
            .Split('\x1e', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\x1f')).ToList();
        for (var i = 0; i < 3; i++)
        {
            var commit = commits[i];
            var expected = log[i];
            Assert.Equal(long.Parse(expected[0], System.Globalization.CultureInfo.InvariantCulture), commit.GetProperty("revision").GetInt64());
            Assert.Equal(expected[1], commit.GetProperty("raw_node").GetString());
            Assert.Equal(expected[1][..12], commit.GetProperty("node").GetString());
            Assert.Equal(expected[2], commit.GetProperty("branch").GetString());
            Assert.Equal(expected[3] == new string('0', 40) ? [] : new[] { expected[3][..12] }, commit.GetProperty("parents").EnumerateArray().Select(p => p.GetString()).ToArray());
            Assert.Equal(expected[4], commit.GetProperty("message").GetString());
            Assert.Equal(expected[5], commit.GetProperty("raw_author").GetString());
            Assert.Equal(-1, commit.GetProperty("size").GetInt32());
            var files = commit.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("file").GetString(), f.GetProperty("type").GetString())).ToList();
            var expectedFiles = Split(expected[7]).Select(f => (f, "added")).Concat(Split(expected[8]).Select(f => (f, "modified"))).Concat(Split(expected[9]).Select(f => (f, "removed")))
                .OrderBy(f => f.f, StringComparer.Ordinal).Select(f => ((string?)f.f, (string?)f.Item2)).ToList();
            Assert.Equal(expectedFiles, files);
            var seconds = long.Parse(expected[6].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            var west = long.Parse(expected[6].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "+00:00", commit.GetProperty("utctimestamp").GetString());
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds - west).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), commit.GetProperty("timestamp").GetString());
        }

        // The seed's own example: 2012-05-30 06:07:03 local, 04:07:03 UTC.
        Assert.Equal("2012-05-30 06:07:03", commits[0].GetProperty("timestamp").GetString());
        Assert.Equal("2012-05-30 04:07:03+00:00", commits[0].GetProperty("utctimestamp").GetString());
        Assert.Equal("alice", commits[0].GetProperty("author").GetString());
        Assert.Equal("Stranger", commits[1].GetProperty("author").GetString());
        Assert.Equal("plainuser", commits[2].GetProperty("author").GetString());
        Assert.Equal("Second\n\nwith a body", commits[1].GetProperty("message").GetString());
        var change = Assert.Single(root.GetProperty("ref_changes").EnumerateArray());
        Assert.Equal(("refs/heads/default", "default", "branch", "created"), (change.GetProperty("ref").GetString(), change.GetProperty("name").GetString(), change.GetProperty("type").GetString(), change.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task NamedBranchMergeBookmarkAndTag_AreChangesetsAndRefChanges_AndAPullSeesThem()
    {
        var repository = await host.CreateRepositoryAsync("alice", "flow");
        var work = await CloneAsync("flow");
        sandbox.Write(work, "a.txt", "a\n");
        await sandbox.HgAsync(work, "commit", "-A", "-m", "root");
        await sandbox.HgAsync(work, "push", host.Url("alice", "flow"));

        await sandbox.HgAsync(work, "branch", "feature");
        sandbox.Write(work, "f.txt", "f\n");
        await sandbox.HgAsync(work, "commit", "-A", "-m", "on feature");
        await sandbox.HgAsync(work, "update", "default");
        sandbox.Write(work, "a.txt", "a2\n");
        await sandbox.HgAsync(work, "commit", "-m", "on default");
        await sandbox.HgAsync(work, "merge", "feature");
        await sandbox.HgAsync(work, "commit", "-m", "merge feature");
        await sandbox.HgAsync(work, "bookmark", "stable");
        await sandbox.HgAsync(work, "tag", "v1.0");
        await sandbox.HgAsync(work, "push", "--new-branch", "-B", "stable", host.Url("alice", "flow"));

        var pushes = await host.PushesAsync(repository);
        Assert.Equal(2, pushes.Count);
        using var payload = JsonDocument.Parse((await host.Storage.Pushes.GetPayloadAsync(pushes[1].Id, CancellationToken.None))!);
        var commits = payload.RootElement.GetProperty("commits").EnumerateArray().ToList();
        Assert.Equal(new[] { "on feature", "on default", "merge feature", "Added tag v1.0 for changeset " + commits[2].GetProperty("node").GetString() },
            commits.Select(c => c.GetProperty("message").GetString()));
        Assert.Equal(new[] { 1L, 2, 3, 4 }, commits.Select(c => c.GetProperty("revision").GetInt64()));
        Assert.Equal(new[] { "feature", "default", "default", "default" }, commits.Select(c => c.GetProperty("branch").GetString()));
        Assert.Equal(new[] { commits[1].GetProperty("node").GetString(), commits[0].GetProperty("node").GetString() },
            commits[2].GetProperty("parents").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(".hgtags", commits[3].GetProperty("files")[0].GetProperty("file").GetString());
        var changes = payload.RootElement.GetProperty("ref_changes").EnumerateArray()
            .Select(c => (c.GetProperty("type").GetString(), c.GetProperty("name").GetString(), c.GetProperty("action").GetString(), c.GetProperty("new").GetString())).ToList();
        var merge = commits[2].GetProperty("raw_node").GetString();
        var tagged = commits[3].GetProperty("raw_node").GetString();
        Assert.Equal(
            new[] { ("bookmark", "stable", "created", tagged), ("branch", "default", "updated", tagged), ("branch", "feature", "created", commits[0].GetProperty("raw_node").GetString()), ("tag", "v1.0", "created", merge) }.Select(c => ((string?)c.Item1, (string?)c.Item2, (string?)c.Item3, c.Item4)),
            changes);

        var other = await CloneAsync("flow");
        Assert.Contains("stable", (await sandbox.HgAsync(other, "bookmarks")).Stdout, StringComparison.Ordinal);
        sandbox.Write(work, "f.txt", "removed soon\n");
        await sandbox.HgAsync(work, "remove", "a.txt");
        await sandbox.HgAsync(work, "commit", "-m", "remove a");
        await sandbox.HgAsync(work, "push", host.Url("alice", "flow"));
        await sandbox.HgAsync(other, "pull", "-u", host.Url("alice", "flow"));
        Assert.False(File.Exists(Path.Combine(other, "a.txt")));

        pushes = await host.PushesAsync(repository);
        Assert.Equal(3, pushes.Count);
        using var removal = JsonDocument.Parse((await host.Storage.Pushes.GetPayloadAsync(pushes[2].Id, CancellationToken.None))!);
        var removed = Assert.Single(removal.RootElement.GetProperty("commits").EnumerateArray());
        Assert.Equal(new[] { ("a.txt", "removed"), ("f.txt", "modified") }, removed.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("file").GetString()!, f.GetProperty("type").GetString()!)));
        Assert.Contains(removal.RootElement.GetProperty("ref_changes").EnumerateArray(), c => c.GetProperty("type").GetString() == "bookmark" && c.GetProperty("action").GetString() == "updated");
    }

    [Fact]
    public async Task GithubAndBitbucketCloudServices_GetTheirOwnDocuments_WrittenFromTheChangesets()
    {
        var repository = await host.CreateRepositoryAsync("alice", "formats");
        var github = await host.Storage.PostServices.CreateServiceAsync(repository.Id, new PostServiceSettings("https://ci.example.com/gh", PayloadFormat.Github, true, []), DateTimeOffset.UtcNow, CancellationToken.None);
        var cloud = await host.Storage.PostServices.CreateServiceAsync(repository.Id, new PostServiceSettings("https://ci.example.com/bb", PayloadFormat.BitbucketCloud, true, []), DateTimeOffset.UtcNow, CancellationToken.None);
        var work = await CloneAsync("formats");
        sandbox.Write(work, "a.txt", "a\n");
        await sandbox.HgAsync(work, "commit", "-A", "-m", "root", "-u", "Alice <alice@example.com>");
        await sandbox.HgAsync(work, "branch", "feature");
        sandbox.Write(work, "f.txt", "f\n");
        await sandbox.HgAsync(work, "commit", "-A", "-m", "on feature", "-u", "Alice <alice@example.com>");
        await sandbox.HgAsync(work, "bookmark", "wip");
        await sandbox.HgAsync(work, "push", "--new-branch", "-B", "wip", host.Url("alice", "formats"));

        var claimed = await host.Storage.Deliveries.ClaimDueAsync("test", DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromMinutes(5), 100, CancellationToken.None);
        var root = (await sandbox.HgAsync(work, "log", "-r", "0", "-T", "{node}")).Stdout;
        var feature = (await sandbox.HgAsync(work, "log", "-r", "1", "-T", "{node}")).Stdout;

        // GitHub: one push event per named branch (a bookmark has no GitHub counterpart), from the changesets.
        var events = claimed.Where(c => c.Service.Id == github.Id).Select(c => JsonDocument.Parse(c.Payload).RootElement).OrderBy(e => e.GetProperty("ref").GetString()).ToList();
        Assert.Equal(new[] { "refs/heads/default", "refs/heads/feature" }, events.Select(e => e.GetProperty("ref").GetString()));
        Assert.Equal((new string('0', 40), root), (events[0].GetProperty("before").GetString(), events[0].GetProperty("after").GetString()));
        Assert.Equal(feature, events[1].GetProperty("after").GetString());
        Assert.Equal("default", events[0].GetProperty("repository").GetProperty("default_branch").GetString());
        var head = events[1].GetProperty("head_commit");
        Assert.Equal((feature, "on feature", "alice@example.com", "alice"),
            (head.GetProperty("id").GetString(), head.GetProperty("message").GetString(), head.GetProperty("author").GetProperty("email").GetString(), head.GetProperty("author").GetProperty("username").GetString()));
        Assert.Equal(new[] { "f.txt" }, head.GetProperty("added").EnumerateArray().Select(f => f.GetString()));

        // Bitbucket Cloud: one document, a change per branch and the bookmark (its own type, as Bitbucket had for hg).
        var document = JsonDocument.Parse(Assert.Single(claimed, c => c.Service.Id == cloud.Id).Payload).RootElement;
        var changes = document.GetProperty("push").GetProperty("changes").EnumerateArray()
            .Select(c => (c.GetProperty("new").GetProperty("type").GetString(), c.GetProperty("new").GetProperty("name").GetString(), c.GetProperty("new").GetProperty("target").GetProperty("hash").GetString()))
            .OrderBy(c => c.Item2, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { ("branch", "default", root), ("branch", "feature", feature), ("bookmark", "wip", feature) }.Select(c => ((string?)c.Item1, (string?)c.Item2, (string?)c.Item3)), changes);
    }

    [Fact]
    public async Task TransactionRolledBackAfterTheJournal_AnnouncesNothing_AndLeavesNothing()
    {
        var (repository, work) = await RootPushedAsync("rollback");

        // A hook of the repository's own, run after Posthorn's (lower priority), rejects the transaction.
        File.AppendAllText(Path.Combine(host.DirectoryOf("alice", "rollback"), ".hg", "hgrc"), "[hooks]\npretxnclose.zreject = false\npriority.pretxnclose.zreject = -10\n");
        sandbox.Write(work, "a.txt", "b\n");
        await sandbox.HgAsync(work, "commit", "-m", "rejected");
        var refused = await sandbox.TryHgAsync(work, "push", host.Url("alice", "rollback"));

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Single(await host.PushesAsync(repository));
        Assert.Equal("0", (await sandbox.HgAsync(host.DirectoryOf("alice", "rollback"), "log", "-r", "tip", "-T", "{rev}")).Stdout);
    }

    [Fact]
    public async Task ChangesetsAddedOnDiskBehindPosthornsBack_AreRecordedAsRecoveredBeforeTheNextPush()
    {
        var (repository, work) = await RootPushedAsync("disk");
        sandbox.Write(work, "a.txt", "behind\n");
        await sandbox.HgAsync(work, "commit", "-m", "pushed on the disk");
        await sandbox.HgAsync(work, "push", host.DirectoryOf("alice", "disk"));
        sandbox.Write(work, "a.txt", "over http\n");
        await sandbox.HgAsync(work, "commit", "-m", "pushed over http");

        await sandbox.HgAsync(work, "push", host.Url("alice", "disk"));

        var pushes = await host.PushesAsync(repository);
        Assert.Equal(3, pushes.Count);
        Assert.True(pushes[1].Recovered);
        Assert.Equal(PushIntakeUnknown, pushes[1].Pusher);
        Assert.False(pushes[2].Recovered);
        using var recovered = JsonDocument.Parse((await host.Storage.Pushes.GetPayloadAsync(pushes[1].Id, CancellationToken.None))!);
        Assert.Equal("pushed on the disk", Assert.Single(recovered.RootElement.GetProperty("commits").EnumerateArray()).GetProperty("message").GetString());
        using var last = JsonDocument.Parse((await host.Storage.Pushes.GetPayloadAsync(pushes[2].Id, CancellationToken.None))!);
        Assert.Equal("pushed over http", Assert.Single(last.RootElement.GetProperty("commits").EnumerateArray()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task BookmarkMovedOnDiskAfterAPosthornPush_IsRecoveredBeforeTheNextPush_ThoughOnlyTheBookmarksFileChanged()
    {
        // The push before fingerprints the repository; a bookmark leaves the changelog alone, so only
        // the bookmarks file tells the next push that the refs it remembers are stale.
        var (repository, work) = await RootPushedAsync("marks");
        sandbox.Write(work, "a.txt", "b\n");
        await sandbox.HgAsync(work, "commit", "-m", "second");
        await sandbox.HgAsync(work, "push", host.Url("alice", "marks"));
        await sandbox.HgAsync(host.DirectoryOf("alice", "marks"), "bookmark", "-r", "0", "ondisk");
        sandbox.Write(work, "a.txt", "c\n");
        await sandbox.HgAsync(work, "commit", "-m", "third");

        await sandbox.HgAsync(work, "push", host.Url("alice", "marks"));

        var pushes = await host.PushesAsync(repository);
        Assert.Equal(4, pushes.Count);
        Assert.True(pushes[2].Recovered);
        using var recovered = JsonDocument.Parse((await host.Storage.Pushes.GetPayloadAsync(pushes[2].Id, CancellationToken.None))!);
        var change = Assert.Single(recovered.RootElement.GetProperty("ref_changes").EnumerateArray());
        Assert.Equal(("bookmark", "ondisk", "created"), (change.GetProperty("type").GetString(), change.GetProperty("name").GetString(), change.GetProperty("action").GetString()));
        Assert.False(pushes[3].Recovered);
        using var last = JsonDocument.Parse((await host.Storage.Pushes.GetPayloadAsync(pushes[3].Id, CancellationToken.None))!);
        Assert.Equal("third", Assert.Single(last.RootElement.GetProperty("commits").EnumerateArray()).GetProperty("message").GetString());
        Assert.DoesNotContain(last.RootElement.GetProperty("ref_changes").EnumerateArray(), c => c.GetProperty("type").GetString() == "bookmark");
    }

    private const string PushIntakeUnknown = Posthorn.Core.Pushes.PushIntake.UnknownPusher;

    private static IEnumerable<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A new repository with one changeset (a.txt, "root") pushed over HTTP, and the clone it came from.</summary>
    private async Task<(Posthorn.Core.Repositories.Repository Repository, string Work)> RootPushedAsync(string slug)
    {
        var repository = await host.CreateRepositoryAsync("alice", slug);
        var work = await CloneAsync(slug);
        sandbox.Write(work, "a.txt", "a\n");
        await sandbox.HgAsync(work, "commit", "-A", "-m", "root");
        await sandbox.HgAsync(work, "push", host.Url("alice", slug));
        return (repository, work);
    }

    private async Task<string> CloneAsync(string slug)
    {
        var work = sandbox.PathOf("work-" + slug + "-" + Guid.NewGuid().ToString("N")[..6]);
        await sandbox.HgAsync(sandbox.Root, "clone", host.Url("alice", slug), work);
        return work;
    }
}
