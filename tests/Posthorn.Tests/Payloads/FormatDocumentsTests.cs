using System.Text;
using System.Text.Json;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Tests.Git;

namespace Posthorn.Tests.Payloads;

/// <summary>
/// Real git pushes over loopback into the real intake and a real SQLite store; each service's queued
/// documents are then read back and checked field by field against git's own answers (rev-parse,
/// rev-list, log, diff-tree).
/// </summary>
public sealed class FormatDocumentsTests : IAsyncLifetime
{
    private static readonly string Zero = RefUpdate.ZeroId;
    private readonly GitSandbox sandbox = new();
    private SmartHttpHost host = null!;
    private Repository repository = null!;
    private string url = "";
    private string work = "";

    public async Task InitializeAsync() => await StartAsync();

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        sandbox.Dispose();
    }

    private async Task StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        host = await SmartHttpHost.StartAsync(sandbox.PathOf("repos"), settings: settings);
        var alice = await host.Storage.Accounts.CreateAccountAsync("alice", "alice@example.com", "-", false, DateTimeOffset.UnixEpoch, default);
        repository = await host.Storage.Repositories.CreateRepositoryAsync(new NewRepository(alice.Id, "project", "Project", false, ""), DateTimeOffset.UnixEpoch, default);
        await host.Repositories.CreateAsync("alice", "project", default);
        url = host.UrlOf("alice", "project");
        work = sandbox.NewWorkTree("work", "a.txt", "b.txt");
        sandbox.Git(work, $"push -q {url} main");
    }

    private Task<PostService> ServiceAsync(PayloadFormat format, params string[] branches) =>
        host.Storage.PostServices.CreateServiceAsync(repository.Id, new PostServiceSettings("http://127.0.0.1:9/" + format, format, true, []) { Branches = branches }, DateTimeOffset.UnixEpoch, default);

    /// <summary>The documents queued for <paramref name="service"/> by the newest push, in queue order.</summary>
    private async Task<List<JsonElement>> DocumentsAsync(PostService service)
    {
        var newest = (await host.Pushes.ListPushesAsync(repository.Id, 1, null, default))[0].Id;
        var claimed = await host.Storage.Deliveries.ClaimDueAsync("test", DateTimeOffset.UtcNow.AddDays(1), TimeSpan.FromMinutes(5), 1000, default);
        await host.Storage.Deliveries.ReleaseAsync("test", claimed.Select(c => c.Delivery.Id).ToList(), default);
        return claimed.Where(c => c.Service.Id == service.Id && c.Delivery.PushId == newest)
            .OrderBy(c => c.Delivery.Id)
            .Select(c =>
            {
                Assert.Equal(DeliveryEvents.Push, c.Delivery.Event);
                return JsonDocument.Parse(c.Payload).RootElement.Clone();
            })
            .ToList();
    }

    private string Git(string arguments) => sandbox.Git(work, arguments).Stdout;

    private string[] RevList(string range) => Git($"rev-list --reverse --topo-order {range}").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static JsonElement ByRef(List<JsonElement> documents, string name) => documents.Single(d => d.GetProperty("ref").GetString() == name);

    [Fact]
    public async Task Github_OnePushPerChangedRef_EveryCommitFieldMatchesGit()
    {
        var github = await ServiceAsync(PayloadFormat.Github);
        var before = sandbox.RevParse(work, "main");
        sandbox.Commit(work, "a.txt", "changed\n", "modify a\n\nwith a body\n");
        sandbox.Git(work, "rm -q b.txt");
        File.WriteAllText(Path.Combine(work, "c.txt"), "new\n");
        sandbox.Git(work, "add -A");
        sandbox.Git(work, "commit -q -m \"remove b, add c\"", environment: new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = "Ann Author", ["GIT_AUTHOR_EMAIL"] = "ann@example.com", ["GIT_AUTHOR_DATE"] = "2026-03-01T10:00:00+0530",
            ["GIT_COMMITTER_NAME"] = "Cy Committer", ["GIT_COMMITTER_EMAIL"] = "cy@example.com", ["GIT_COMMITTER_DATE"] = "2026-03-02T11:00:00-0800",
        });
        var mainTip = sandbox.RevParse(work, "HEAD");
        sandbox.Git(work, "checkout -q -b feature");
        var featureTip = sandbox.Commit(work, "f.txt");
        sandbox.Git(work, "checkout -q main");
        sandbox.Git(work, "tag v1");
        sandbox.Git(work, $"push -q {url} main feature v1");

        var documents = await DocumentsAsync(github);

        Assert.Equal(3, documents.Count);
        var main = ByRef(documents, "refs/heads/main");
        Assert.Equal((before, mainTip), (main.GetProperty("before").GetString(), main.GetProperty("after").GetString()));
        Assert.False(main.GetProperty("created").GetBoolean() || main.GetProperty("deleted").GetBoolean() || main.GetProperty("forced").GetBoolean());
        Assert.Equal(RevList($"{before}..main"), main.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        foreach (var commit in main.GetProperty("commits").EnumerateArray())
        {
            var id = commit.GetProperty("id").GetString()!;
            Assert.Equal(sandbox.RevParse(work, id + "^{tree}"), commit.GetProperty("tree_id").GetString());
            Assert.Equal(Git($"log -1 --format=%B {id}").TrimEnd('\n'), commit.GetProperty("message").GetString());
            Assert.Equal(Git($"log -1 --format=%aI {id}").Trim(), commit.GetProperty("timestamp").GetString());
            Assert.Equal(Git($"log -1 --format=%an%n%ae%n%cn%n%ce {id}").Trim().Split('\n'),
                new[] { commit.GetProperty("author").GetProperty("name").GetString(), commit.GetProperty("author").GetProperty("email").GetString(),
                    commit.GetProperty("committer").GetProperty("name").GetString(), commit.GetProperty("committer").GetProperty("email").GetString() });
            var changes = Git($"diff-tree --no-commit-id --name-status -r {id}").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
            Assert.Equal(changes.Where(c => c[0] == "A").Select(c => c[1]), Strings(commit.GetProperty("added")));
            Assert.Equal(changes.Where(c => c[0] == "D").Select(c => c[1]), Strings(commit.GetProperty("removed")));
            Assert.Equal(changes.Where(c => c[0] == "M").Select(c => c[1]), Strings(commit.GetProperty("modified")));
            Assert.True(commit.GetProperty("distinct").GetBoolean());
            Assert.EndsWith("/alice/project/commit/" + id, commit.GetProperty("url").GetString(), StringComparison.Ordinal);
        }

        var last = main.GetProperty("commits")[1];
        Assert.Equal("2026-03-01T10:00:00+05:30", last.GetProperty("timestamp").GetString());
        Assert.Equal(("Ann Author", "Cy Committer"), (last.GetProperty("author").GetProperty("name").GetString(), last.GetProperty("committer").GetProperty("name").GetString()));
        Assert.Equal(["c.txt"], Strings(last.GetProperty("added")));
        Assert.Equal(["b.txt"], Strings(last.GetProperty("removed")));
        Assert.Equal(mainTip, main.GetProperty("head_commit").GetProperty("id").GetString());
        Assert.Equal("alice", main.GetProperty("pusher").GetProperty("name").GetString());
        Assert.Equal("alice", main.GetProperty("sender").GetProperty("login").GetString());
        var repo = main.GetProperty("repository");
        Assert.Equal(("alice/project", "main", "alice", repository.Id), (repo.GetProperty("full_name").GetString(), repo.GetProperty("default_branch").GetString(),
            repo.GetProperty("owner").GetProperty("login").GetString(), repo.GetProperty("id").GetInt64()));
        Assert.EndsWith("/alice/project.git", repo.GetProperty("clone_url").GetString(), StringComparison.Ordinal);

        // The new branch lists every commit new to it; only its own is distinct (main's are listed under main).
        var feature = ByRef(documents, "refs/heads/feature");
        Assert.True(feature.GetProperty("created").GetBoolean());
        Assert.Equal(Zero, feature.GetProperty("before").GetString());
        Assert.Equal(RevList($"{before}..feature"), feature.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        Assert.Equal(
            RevList($"{before}..feature").Select(id => id == featureTip),
            feature.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("distinct").GetBoolean()));
        Assert.EndsWith("/compare/feature", feature.GetProperty("compare").GetString(), StringComparison.Ordinal);

        // ${branch} and friends in a github service's URL expand per ref.
        var facts = Core.Payloads.PayloadFacts.Of(feature.GetRawText());
        Assert.Equal(("feature", "refs/heads/feature", featureTip, "alice", "project"), (facts["branch"], facts["ref"], facts["commit"], facts["user"], facts["repository"]));

        var tag = ByRef(documents, "refs/tags/v1");
        Assert.True(tag.GetProperty("created").GetBoolean());
        Assert.Equal(mainTip, tag.GetProperty("after").GetString());
        Assert.Equal("refs/heads/main", tag.GetProperty("base_ref").GetString());
        Assert.Equal(mainTip, tag.GetProperty("head_commit").GetProperty("id").GetString());
        Assert.All(tag.GetProperty("commits").EnumerateArray(), c => Assert.False(c.GetProperty("distinct").GetBoolean()));
    }

    [Fact]
    public async Task Github_DeletionAndForcePush_StatedAsGitHubDoes()
    {
        var github = await ServiceAsync(PayloadFormat.Github);
        sandbox.Git(work, $"push -q {url} main:doomed");
        var before = sandbox.RevParse(work, "main");
        sandbox.Git(work, "commit -q --amend -m rewritten");
        var rewritten = sandbox.RevParse(work, "main");
        sandbox.Git(work, $"push -q --force {url} main :doomed");

        var documents = await DocumentsAsync(github);

        var deleted = ByRef(documents, "refs/heads/doomed");
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal((before, Zero), (deleted.GetProperty("before").GetString(), deleted.GetProperty("after").GetString()));
        Assert.Empty(deleted.GetProperty("commits").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, deleted.GetProperty("head_commit").ValueKind);
        var forced = ByRef(documents, "refs/heads/main");
        Assert.True(forced.GetProperty("forced").GetBoolean());
        Assert.Equal(rewritten, forced.GetProperty("head_commit").GetProperty("id").GetString());
        Assert.Equal([rewritten], forced.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task BitbucketCloud_ChangesPerRef_TargetsAndNewestFiveCommitsMatchGit()
    {
        var cloud = await ServiceAsync(PayloadFormat.BitbucketCloud);
        sandbox.Git(work, "tag old-tag");
        sandbox.Git(work, $"push -q {url} old-tag");
        var before = sandbox.RevParse(work, "main");
        for (var i = 0; i < 7; i++)
        {
            sandbox.Commit(work, $"n{i}.txt");
        }

        var tip = sandbox.RevParse(work, "main");
        sandbox.Git(work, $"push -q {url} main :old-tag");

        var document = Assert.Single(await DocumentsAsync(cloud));
        Assert.Equal("alice", document.GetProperty("actor").GetProperty("nickname").GetString());
        Assert.Equal("user", document.GetProperty("actor").GetProperty("type").GetString());
        var repo = document.GetProperty("repository");
        Assert.Equal(("alice/project", "git", false), (repo.GetProperty("full_name").GetString(), repo.GetProperty("scm").GetString(), repo.GetProperty("is_private").GetBoolean()));
        Assert.StartsWith("{", repo.GetProperty("uuid").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/alice/project", repo.GetProperty("links").GetProperty("html").GetProperty("href").GetString(), StringComparison.Ordinal);

        var changes = document.GetProperty("push").GetProperty("changes").EnumerateArray().ToList();
        var main = changes.Single(c => c.GetProperty("new").ValueKind == JsonValueKind.Object);
        Assert.Equal(("branch", "main", tip), (main.GetProperty("new").GetProperty("type").GetString(), main.GetProperty("new").GetProperty("name").GetString(),
            main.GetProperty("new").GetProperty("target").GetProperty("hash").GetString()));
        var target = main.GetProperty("new").GetProperty("target");
        Assert.Equal(Git($"log -1 --format=%aI {tip}").Trim(), target.GetProperty("date").GetString());
        Assert.Equal(Git($"log -1 --format=%B {tip}"), target.GetProperty("message").GetString() + "\n");
        Assert.Equal(Git($"log -1 --format=%an%x20<%ae> {tip}").Trim(), target.GetProperty("author").GetProperty("raw").GetString());
        Assert.Equal(Git($"log -1 --format=%P {tip}").Trim().Split(' '), target.GetProperty("parents").EnumerateArray().Select(p => p.GetProperty("hash").GetString()));
        Assert.Equal(before, main.GetProperty("old").GetProperty("target").GetProperty("hash").GetString());
        Assert.Equal((false, false, false), (main.GetProperty("created").GetBoolean(), main.GetProperty("closed").GetBoolean(), main.GetProperty("forced").GetBoolean()));
        Assert.Equal(RevList($"{before}..main").Reverse().Take(5), main.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("hash").GetString()!));
        Assert.True(main.GetProperty("truncated").GetBoolean());

        var tag = changes.Single(c => c.GetProperty("new").ValueKind == JsonValueKind.Null);
        Assert.True(tag.GetProperty("closed").GetBoolean());
        Assert.Equal(("tag", "old-tag", before), (tag.GetProperty("old").GetProperty("type").GetString(), tag.GetProperty("old").GetProperty("name").GetString(),
            tag.GetProperty("old").GetProperty("target").GetProperty("hash").GetString()));
    }

    [Fact]
    public async Task Attribution_MasterAndNewFeatureInOnePush_MastersCommitsListedUnderMaster()
    {
        var original = await ServiceAsync(PayloadFormat.BitbucketPost);
        var before = sandbox.RevParse(work, "main");
        var mainCommits = new[] { sandbox.Commit(work, "m1.txt"), sandbox.Commit(work, "m2.txt") };
        sandbox.Git(work, "checkout -q -b feature");
        var featureCommit = sandbox.Commit(work, "f.txt");
        sandbox.Git(work, $"push -q {url} main feature");

        var document = Assert.Single(await DocumentsAsync(original));
        var listed = document.GetProperty("commits").EnumerateArray().ToDictionary(c => c.GetProperty("raw_node").GetString()!, c => c.GetProperty("branch").GetString());
        Assert.Equal(RevList($"{before}..feature").Order(), listed.Keys.Order());
        Assert.All(mainCommits, id => Assert.Equal("main", listed[id]));
        Assert.Equal("feature", listed[featureCommit]);
    }

    [Fact]
    public async Task Attribution_WithoutTheDefaultBranch_AnUpdatedBranchBeatsACreatedOne()
    {
        var original = await ServiceAsync(PayloadFormat.Json);
        sandbox.Git(work, $"push -q {url} main:zeta");
        var shared = sandbox.Commit(work, "shared.txt");
        sandbox.Git(work, "checkout -q -b alpha");
        var own = sandbox.Commit(work, "alpha.txt");
        sandbox.Git(work, $"push -q {url} main:zeta alpha");

        var listed = Assert.Single(await DocumentsAsync(original)).GetProperty("commits").EnumerateArray()
            .ToDictionary(c => c.GetProperty("raw_node").GetString()!, c => c.GetProperty("branch").GetString());
        Assert.Equal("zeta", listed[shared]);
        Assert.Equal("alpha", listed[own]);
    }

    [Fact]
    public async Task BranchFilters_SeveralBranches_EachServiceGetsOnlyItsBranches_TagOnlyPushGoesToUnfilteredOnly()
    {
        var all = await ServiceAsync(PayloadFormat.Json);
        var mainOnly = await ServiceAsync(PayloadFormat.Json, "main");
        var releases = await ServiceAsync(PayloadFormat.BitbucketPost, "release/*");
        var cloud = await ServiceAsync(PayloadFormat.BitbucketCloud, "feature/*", "main");
        var github = await ServiceAsync(PayloadFormat.Github, "release/**");
        var nothing = await ServiceAsync(PayloadFormat.Json, "hotfix/*");
        var before = sandbox.RevParse(work, "main");
        var mainCommit = sandbox.Commit(work, "m.txt");
        sandbox.Git(work, "checkout -q -b release/1.0");
        var releaseCommit = sandbox.Commit(work, "r.txt");
        sandbox.Git(work, "checkout -q -b feature/x main");
        var featureCommit = sandbox.Commit(work, "f.txt");
        sandbox.Git(work, "tag v2");
        sandbox.Git(work, $"push -q {url} main release/1.0 feature/x v2");

        var unfiltered = Assert.Single(await DocumentsAsync(all));
        Assert.Equal(["feature/x", "main", "release/1.0", "v2"], unfiltered.GetProperty("ref_changes").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(3, unfiltered.GetProperty("commits").GetArrayLength());

        var main = Assert.Single(await DocumentsAsync(mainOnly));
        Assert.Equal(["main"], main.GetProperty("ref_changes").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal([mainCommit], main.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("raw_node").GetString()));
        Assert.Equal(1, main.GetProperty("commit_count").GetInt32());

        var release = Assert.Single(await DocumentsAsync(releases));
        Assert.Equal(["release/1.0"], release.GetProperty("ref_changes").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal([releaseCommit], release.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("raw_node").GetString()));

        var cloudChanges = Assert.Single(await DocumentsAsync(cloud)).GetProperty("push").GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["feature/x", "main"], cloudChanges.Select(c => c.GetProperty("new").GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(featureCommit, cloudChanges.Single(c => c.GetProperty("new").GetProperty("name").GetString() == "feature/x").GetProperty("new").GetProperty("target").GetProperty("hash").GetString());

        var githubRelease = Assert.Single(await DocumentsAsync(github));
        Assert.Equal("refs/heads/release/1.0", githubRelease.GetProperty("ref").GetString());
        Assert.Equal(RevList($"{before}..release/1.0"), githubRelease.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));

        Assert.Empty(await DocumentsAsync(nothing));

        // A push of a tag alone changes no branch: unfiltered services only.
        sandbox.Git(work, "tag v3");
        sandbox.Git(work, $"push -q {url} v3");
        Assert.Single(await DocumentsAsync(all));
        foreach (var filtered in new[] { mainOnly, releases, cloud, github, nothing })
        {
            Assert.Empty(await DocumentsAsync(filtered));
        }
    }

    [Fact]
    public async Task Github_MoreThan2048NewCommits_ListsTheNewest2048()
    {
        // Restarted with caps that let 2,100 commits through, so GitHub's own cap is what cuts.
        await host.DisposeAsync();
        await StartFreshAsync(new Dictionary<string, string?> { ["Payload:MaxCommits"] = "3000", ["Payload:MaxBytes"] = (64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var github = await ServiceAsync(PayloadFormat.Github);
        var before = sandbox.RevParse(work, "main");
        var stream = new StringBuilder();
        for (var i = 1; i <= 2100; i++)
        {
            stream.Append("commit refs/heads/main\n")
                .Append("committer Bulk <bulk@example.com> ").Append(1_700_000_000 + i).Append(" +0000\n")
                .Append("data <<EOM\ncommit ").Append(i).Append("\nEOM\n");
            if (i == 1)
            {
                stream.Append("from ").Append(before).Append('\n');
            }

            stream.Append("M 644 inline bulk.txt\ndata <<EOD\n").Append(i).Append("\nEOD\n\n");
        }

        sandbox.Git(work, "fast-import --quiet", stdin: stream.ToString());
        sandbox.Git(work, "reset -q --hard main");
        sandbox.Git(work, $"push -q {url} main");

        var document = Assert.Single(await DocumentsAsync(github));
        var ids = document.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();
        var all = RevList($"{before}..main");
        Assert.Equal(2100, all.Length);
        Assert.Equal(2048, ids.Length);
        Assert.Equal(all[^2048..], ids);
    }

    private async Task StartFreshAsync(IReadOnlyDictionary<string, string?> settings)
    {
        Directory.Delete(sandbox.PathOf("repos"), recursive: true);
        Directory.Delete(work, recursive: true);
        await StartAsync(settings);
    }
}
