using System.Text.Json;
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

    private static IEnumerable<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private async Task<string> CloneAsync(string slug)
    {
        var work = sandbox.PathOf("work-" + slug + "-" + Guid.NewGuid().ToString("N")[..6]);
        await sandbox.HgAsync(sandbox.Root, "clone", host.Url("alice", slug), work);
        return work;
    }
}
