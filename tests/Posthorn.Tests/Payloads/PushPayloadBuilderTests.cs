using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Git.Commits;
using Posthorn.Tests.Git;

namespace Posthorn.Tests.Payloads;

/// <summary>Payloads built from real repositories; expected values come from git log / cat-file on the same repository.</summary>
public sealed class PushPayloadBuilderTests : IDisposable
{
    private static readonly Repository Repo = new(1, "marcus", "project-x", "Project X", true, false, "", "git", DateTimeOffset.UnixEpoch);

    private readonly GitSandbox sandbox = new();
    private readonly EmailLookup accounts = new(new Dictionary<string, string> { ["Marcus@Example.com"] = "marcus" });

    public void Dispose() => sandbox.Dispose();

    private async Task<(JsonElement Json, BuiltPayload Built)> BuildAsync(string work, IReadOnlyCollection<string> tipsBefore, int maxCommits = 200, int maxFiles = 1000, params RefUpdate[] updates)
    {
        var builder = new PushPayloadBuilder(sandbox.Runner, accounts, Options.Create(new PayloadOptions { MaxCommits = maxCommits, MaxFilesPerCommit = maxFiles }), NullLogger<PushPayloadBuilder>.Instance);
        var built = await builder.BuildAsync(new PayloadRequest(Repo, Path.Combine(work, ".git"), "marcus", updates, tipsBefore, "https://posthorn.example/"), CancellationToken.None);
        return (JsonDocument.Parse(built.Json).RootElement, built);
    }

    private static string[] Nodes(JsonElement json) => json.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("raw_node").GetString()!).ToArray();

    [Fact]
    public async Task FirstPush_EveryFieldMatchesGit()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        sandbox.Git(work, "commit -q --allow-empty -m x");
        sandbox.Git(work, "reset -q --hard HEAD~1");
        File.WriteAllText(Path.Combine(work, "a.txt"), "changed\n");
        File.WriteAllText(Path.Combine(work, "new.txt"), "n\n");
        sandbox.Git(work, "add -A");
        sandbox.Git(work, "commit -q -m \"Added some things\"", environment: new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = "Marcus Bertrand", ["GIT_AUTHOR_EMAIL"] = "marcus@example.com", ["GIT_AUTHOR_DATE"] = "2012-05-30T05:58:56+02:00",
        });
        var head = sandbox.RevParse(work, "HEAD");
        var root = sandbox.RevParse(work, "HEAD~1");

        var (json, built) = await BuildAsync(work, [], updates: new RefUpdate("refs/heads/main", RefUpdate.ZeroId, head));

        Assert.Equal("https://posthorn.example", json.GetProperty("canon_url").GetString());
        Assert.Equal("marcus", json.GetProperty("user").GetString());
        var repository = json.GetProperty("repository");
        Assert.Equal("/marcus/project-x/", repository.GetProperty("absolute_url").GetString());
        Assert.True(repository.GetProperty("is_private").GetBoolean());
        Assert.Equal("git", repository.GetProperty("scm").GetString());
        Assert.Equal([root, head], Nodes(json));
        Assert.Equal(2, built.CommitCount);
        var first = json.GetProperty("commits")[0];
        Assert.Equal("[{\"file\":\"a.txt\",\"type\":\"added\"}]", first.GetProperty("files").GetRawText());
        Assert.Equal(0, first.GetProperty("parents").GetArrayLength());
        Assert.Equal("Test User", first.GetProperty("author").GetString());
        var commit = json.GetProperty("commits")[1];
        Assert.Equal("marcus", commit.GetProperty("author").GetString());
        Assert.Equal("main", commit.GetProperty("branch").GetString());
        Assert.Equal("Marcus Bertrand <marcus@example.com>", commit.GetProperty("raw_author").GetString());
        Assert.Equal(head[..12], commit.GetProperty("node").GetString());
        Assert.Equal(root[..12], commit.GetProperty("parents")[0].GetString());
        Assert.Equal("Added some things\n", commit.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, commit.GetProperty("revision").ValueKind);
        Assert.Equal(-1, commit.GetProperty("size").GetInt32());
        Assert.Equal("2012-05-30 05:58:56", commit.GetProperty("timestamp").GetString());
        Assert.Equal("2012-05-30 03:58:56+00:00", commit.GetProperty("utctimestamp").GetString());
        Assert.Equal("[{\"file\":\"a.txt\",\"type\":\"modified\"},{\"file\":\"new.txt\",\"type\":\"added\"}]", commit.GetProperty("files").GetRawText());
        Assert.Equal(1, accounts.Calls);
        var change = json.GetProperty("ref_changes")[0];
        Assert.Equal("created", change.GetProperty("action").GetString());
        Assert.Equal("branch", change.GetProperty("type").GetString());
        Assert.False(json.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task SeveralBranches_SharedHistoryListedOnceUnderTheDefaultBranch()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var before = sandbox.RevParse(work, "HEAD");
        var mainNew = sandbox.Commit(work, "b.txt");
        sandbox.Git(work, "checkout -q -b feature");
        var featureNew = sandbox.Commit(work, "c.txt");
        sandbox.Git(work, "checkout -q main"); // HEAD names the default branch, as in the served bare repository

        var (json, built) = await BuildAsync(
            work,
            [before],
            updates: [new RefUpdate("refs/heads/main", before, mainNew), new RefUpdate("refs/heads/feature", RefUpdate.ZeroId, featureNew)]);

        Assert.Equal([mainNew, featureNew], Nodes(json));
        Assert.Equal(["main", "feature"], json.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("branch").GetString()!).ToArray());
        Assert.Equal(2, built.CommitCount);
    }

    [Fact]
    public async Task MergeCommit_FilesAgainstFirstParent()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var before = sandbox.RevParse(work, "HEAD");
        sandbox.Git(work, "checkout -q -b side");
        var side = sandbox.Commit(work, "side.txt");
        sandbox.Git(work, "checkout -q main");
        var mainOnly = sandbox.Commit(work, "main.txt");
        sandbox.Git(work, "merge -q --no-ff -m merge side");
        var merge = sandbox.RevParse(work, "HEAD");

        var (json, _) = await BuildAsync(work, [before], updates: new RefUpdate("refs/heads/main", before, merge));

        Assert.Equal(3, Nodes(json).Length);
        Assert.Equal(merge, Nodes(json)[^1]);
        var last = json.GetProperty("commits")[2];
        Assert.Equal("[{\"file\":\"side.txt\",\"type\":\"added\"}]", last.GetProperty("files").GetRawText());
        Assert.Equal([mainOnly[..12], side[..12]], last.GetProperty("parents").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Fact]
    public async Task ForcePushDeleteAndTag_RefChangesOnlyTagListsNoCommits()
    {
        var work = sandbox.NewWorkTree("work", "a.txt", "b.txt");
        var old = sandbox.RevParse(work, "HEAD");
        sandbox.Git(work, "tag v1 HEAD~1");
        var tag = sandbox.RevParse(work, "v1");
        sandbox.Git(work, "reset -q --hard HEAD~1");
        var rewritten = sandbox.Commit(work, "c.txt");
        File.Delete(Path.Combine(work, "a.txt"));
        var removal = sandbox.Commit(work, "d.txt");

        var (json, built) = await BuildAsync(
            work,
            [old, tag],
            updates: [new RefUpdate("refs/heads/main", old, removal), new RefUpdate("refs/heads/gone", old, RefUpdate.ZeroId), new RefUpdate("refs/tags/v1", RefUpdate.ZeroId, tag)]);

        Assert.Equal([rewritten, removal], Nodes(json));
        Assert.Equal(2, built.CommitCount);
        Assert.Contains("{\"file\":\"a.txt\",\"type\":\"removed\"}", json.GetProperty("commits")[1].GetProperty("files").GetRawText());
        Assert.Equal(["forced", "deleted", "created"], json.GetProperty("ref_changes").EnumerateArray().Select(c => c.GetProperty("action").GetString()!).ToArray());
        Assert.Equal("tag", json.GetProperty("ref_changes")[2].GetProperty("type").GetString());
    }

    [Fact]
    public async Task NonAsciiAndInvalidUtf8_SurviveAsValidJson()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var parent = sandbox.RevParse(work, "HEAD");
        var tree = sandbox.RevParse(work, "HEAD^{tree}");
        var raw = new MemoryStream();
        raw.Write(Encoding.UTF8.GetBytes($"tree {tree}\nparent {parent}\nauthor Zoë Ünïcode <z@example.com> 1338350336 +0200\ncommitter C <c@example.com> 1338350336 +0200\n\n"));
        raw.Write([.. Encoding.UTF8.GetBytes("naïve 日本 "), 0xff, 0xfe, (byte)'\n']);
        var path = Path.Combine(sandbox.Root, "raw-commit");
        File.WriteAllBytes(path, raw.ToArray());
        var commit = sandbox.Git(work, $"hash-object -t commit -w --literally {path}").Stdout.Trim();

        var (json, _) = await BuildAsync(work, [parent], updates: new RefUpdate("refs/heads/main", parent, commit));

        var listed = json.GetProperty("commits")[0];
        Assert.Equal("Zoë Ünïcode <z@example.com>", listed.GetProperty("raw_author").GetString());
        Assert.Equal("naïve 日本 \uFFFD\uFFFD\n", listed.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ThreeHundredCommits_CapListsNewestOldestFirst()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var before = sandbox.RevParse(work, "HEAD");
        var script = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            script.Append($"commit refs/heads/main\ncommitter T <t@example.com> {1_600_000_000 + i} +0000\ndata <<EOF\nc{i}\nEOF\n{(i == 0 ? $"from {before}\n" : "")}M 644 inline f{i % 7}.txt\ndata <<EOF\n{i}\nEOF\n\n");
        }

        sandbox.Git(work, "fast-import --quiet", stdin: script.ToString());
        var head = sandbox.RevParse(work, "refs/heads/main");
        var expected = sandbox.Git(work, $"rev-list --topo-order --reverse --max-count=100 {head} ^{before}").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var (json, built) = await BuildAsync(work, [before], maxCommits: 100, updates: new RefUpdate("refs/heads/main", before, head));

        Assert.Equal(expected, Nodes(json));
        Assert.Equal(head, Nodes(json)[^1]);
        Assert.Equal(300, built.CommitCount);
        Assert.Equal(300, json.GetProperty("commit_count").GetInt32());
        Assert.Equal(100, json.GetProperty("commit_limit").GetInt32());
        Assert.True(json.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task TenThousandCommits_BuiltQuicklyWithDefaultCaps()
    {
        var work = sandbox.NewWorkTree("work");
        var script = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            script.Append($"commit refs/heads/main\ncommitter T <t@example.com> {1_600_000_000 + i} +0000\ndata 3\nc{i % 10}\nM 644 inline f{i % 50}.txt\ndata <<EOF\n{i}\nEOF\n\n");
        }

        sandbox.Git(work, "fast-import --quiet", stdin: script.ToString());
        var head = sandbox.RevParse(work, "refs/heads/main");
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();

        var (json, built) = await BuildAsync(work, [], updates: new RefUpdate("refs/heads/main", RefUpdate.ZeroId, head));

        stopwatch.Stop();
        Console.WriteLine($"10,000-commit payload: {stopwatch.ElapsedMilliseconds} ms, {built.Json.Length} chars, ~{(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024} KiB allocated process-wide");
        Assert.Equal(10_000, built.CommitCount);
        Assert.Equal(200, json.GetProperty("commits").GetArrayLength());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void PingPayload_SharesEnvelopeWithNoCommits()
    {
        var json = JsonDocument.Parse(PingPayload.Write(Repo, "marcus", "https://posthorn.example")).RootElement;

        Assert.Equal("ping", json.GetProperty("event").GetString());
        Assert.Equal(0, json.GetProperty("commits").GetArrayLength());
        Assert.Equal("project-x", json.GetProperty("repository").GetProperty("slug").GetString());
    }
}
