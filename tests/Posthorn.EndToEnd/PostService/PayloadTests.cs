using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

public sealed class PayloadSites : SiteFixture
{
    public const int MaxCommits = 5;

    public Receiver Receiver { get; private set; } = null!;

    protected override IDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["Payload__MaxCommits"] = MaxCommits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Delivery__RetrySchedule__0"] = "00:00:00.200",
        ["Delivery__Jitter"] = "0",
    };

    public override async Task InitializeAsync() => Receiver = await Receiver.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>
/// The push payload, end to end: real pushes to the real server, the document as a real receiver
/// got it, every field compared with what git says about the pushed commits.
/// </summary>
public sealed class PayloadTests(PayloadSites sites) : IClassFixture<PayloadSites>
{
    private static readonly Dictionary<string, string> Usernames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alice@example.com"] = "alice", ["bob@example.com"] = "bob", ["carol@example.com"] = "carol",
        ["dave@example.com"] = "dave", ["eve@example.com"] = "eve", ["root@example.com"] = "root",
    };

    private Receiver Receiver => sites.Receiver;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task FirstPushOfBranch_ListsEveryCommit_WithEveryFieldAsGitSaysIt(string backend)
    {
        var (site, slug, work) = await NewRepositoryAsync(backend, "first");
        await CommitAsync(site, work, "README.md", "hello\n", "Add readme\n\nWith a body.\n");
        await CommitAsync(site, work, "src/app.c", "int main;\n", "Add app", author: "Alice Liddell <alice@example.com>", date: "2012-05-30T06:07:03+02:00");
        await CommitAsync(site, work, "README.md", "hello again\n", "Edit readme", author: "Someone Else <nobody@example.org>", date: "2013-01-02T03:04:05-05:30");

        var payload = await PushAsync(site, slug, work, "carol", "main");

        var facts = new GitFacts(site.Git, work);
        await AssertPayloadAsync(site, slug, payload, "carol", await ExpectedAsync(facts, [], ("main", "main")));
        Assert.Equal("created", Assert.Single(payload.GetProperty("ref_changes").EnumerateArray()).GetProperty("action").GetString());
    }

    [Fact]
    public async Task NewCommitsOnExistingBranch_ListsOnlyThem()
    {
        var (site, slug, work) = await NewRepositoryAsync("sqlite", "more");
        await CommitAsync(site, work, "a", "1\n", "One");
        await PushAsync(site, slug, work, "alice", "main");
        await CommitAsync(site, work, "a", "2\n", "Two");
        await CommitAsync(site, work, "b", "3\n", "Three");
        var facts = new GitFacts(site.Git, work);
        var before = await facts.RemoteTipsAsync(site.Url(slug));

        var payload = await PushAsync(site, slug, work, "alice", "main");

        var expected = await ExpectedAsync(facts, before, ("main", "main"));
        Assert.Equal(2, expected.Count);
        await AssertPayloadAsync(site, slug, payload, "alice", expected);
        var change = Assert.Single(payload.GetProperty("ref_changes").EnumerateArray());
        Assert.Equal("updated", change.GetProperty("action").GetString());
        Assert.Equal(before.Single(), change.GetProperty("old").GetString());
    }

    [Fact]
    public async Task OnePushUpdatingFiveRefs_IsOneDelivery_ListingEachBranchsCommit()
    {
        var (site, slug, work) = await NewRepositoryAsync("sqlite", "five");
        await CommitAsync(site, work, "base", "0\n", "Base");
        await PushAsync(site, slug, work, "alice", "main");
        var facts = new GitFacts(site.Git, work);
        var before = await facts.RemoteTipsAsync(site.Url(slug));
        var branches = Enumerable.Range(1, 5).Select(i => $"topic-{i}").ToArray();
        foreach (var branch in branches)
        {
            await site.Git.RunAsync(work, "checkout", "-q", "-b", branch, "main");
            await CommitAsync(site, work, $"{branch}.txt", branch + "\n", $"Work on {branch}");
        }

        var payload = await PushAsync(site, slug, work, "alice", branches);

        var expected = new List<ExpectedCommit>();
        foreach (var branch in branches)
        {
            expected.AddRange(await ExpectedAsync(facts, before, (branch, branch)));
        }

        // Each branch's commit once, under its branch; the branches' order is the server's to choose.
        var commits = payload.GetProperty("commits").EnumerateArray().ToList();
        Assert.Equal(5, commits.Count);
        foreach (var commit in commits)
        {
            expected.Single(e => e.RawNode == commit.GetProperty("raw_node").GetString()).AssertMatches(commit);
        }

        AssertEnvelope(site, slug, payload, "alice", 5);
        var changes = payload.GetProperty("ref_changes").EnumerateArray().ToList();
        Assert.Equal(branches.Select(b => "refs/heads/" + b).Order(), changes.Select(c => c.GetProperty("ref").GetString()!).Order());
        Assert.All(changes, c => Assert.Equal("created", c.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task MergeCommit_ListsItsFilesAgainstTheFirstParent()
    {
        var (site, slug, work) = await NewRepositoryAsync("sqlite", "merge");
        await CommitAsync(site, work, "base", "0\n", "Base");
        await PushAsync(site, slug, work, "alice", "main");
        var facts = new GitFacts(site.Git, work);
        var before = await facts.RemoteTipsAsync(site.Url(slug));
        await site.Git.RunAsync(work, "checkout", "-q", "-b", "feature");
        await CommitAsync(site, work, "f1", "1\n", "Feature one");
        await CommitAsync(site, work, "f2", "2\n", "Feature two");
        await site.Git.RunAsync(work, "checkout", "-q", "main");
        await CommitAsync(site, work, "m1", "m\n", "Mainline");
        await site.Git.RunAsync(work, "merge", "-q", "--no-ff", "feature", "-m", "Merge feature");

        var payload = await PushAsync(site, slug, work, "alice", "main");

        var expected = await ExpectedAsync(facts, before, ("main", "main"));
        Assert.Equal(4, expected.Count);
        var merge = expected[^1];
        Assert.Equal(2, merge.Parents.Count);
        Assert.Equal([("f1", "added"), ("f2", "added")], merge.Files);
        await AssertPayloadAsync(site, slug, payload, "alice", expected);
    }

    [Fact]
    public async Task NewBranchSharingHistory_ListsOnlyCommitsNoRefReachedBefore()
    {
        var (site, slug, work) = await NewRepositoryAsync("sqlite", "share");
        await CommitAsync(site, work, "a", "1\n", "One");
        await CommitAsync(site, work, "b", "2\n", "Two");
        await PushAsync(site, slug, work, "alice", "main");
        var facts = new GitFacts(site.Git, work);
        var before = await facts.RemoteTipsAsync(site.Url(slug));
        await site.Git.RunAsync(work, "branch", "same", "main");
        await site.Git.RunAsync(work, "checkout", "-q", "-b", "topic", "main");
        await CommitAsync(site, work, "c", "3\n", "Three on topic");

        var payload = await PushAsync(site, slug, work, "alice", "same", "topic");

        var expected = await ExpectedAsync(facts, before, ("topic", "topic"));
        Assert.Single(expected);
        await AssertPayloadAsync(site, slug, payload, "alice", expected);
        Assert.Equal(2, payload.GetProperty("ref_changes").GetArrayLength());
    }

    [Fact]
    public async Task ForcePush_ListsTheRewrittenCommits_AndSaysForced()
    {
        var (site, slug, work) = await NewRepositoryAsync("sqlite", "force");
        await CommitAsync(site, work, "a", "1\n", "One");
        await CommitAsync(site, work, "b", "2\n", "Two");
        await CommitAsync(site, work, "c", "3\n", "Three");
        await PushAsync(site, slug, work, "alice", "main");
        var facts = new GitFacts(site.Git, work);
        var before = await facts.RemoteTipsAsync(site.Url(slug));
        await site.Git.RunAsync(work, "reset", "-q", "--hard", "HEAD~2");
        await CommitAsync(site, work, "b", "rewritten\n", "Two, rewritten");
        await CommitAsync(site, work, "d", "4\n", "Four");

        var payload = await PushAsync(site, slug, work, "alice", "+main");

        var expected = await ExpectedAsync(facts, before, ("main", "main"));
        Assert.Equal(2, expected.Count);
        await AssertPayloadAsync(site, slug, payload, "alice", expected);
        var change = Assert.Single(payload.GetProperty("ref_changes").EnumerateArray());
        Assert.Equal("forced", change.GetProperty("action").GetString());
        Assert.Equal(before.Single(), change.GetProperty("old").GetString());
        Assert.Equal(await facts.RevParseAsync("main"), change.GetProperty("new").GetString());
    }

    /// <summary>
    /// Documented in PushPayloadBuilder: deletions and tag pushes list no commits of their own; the
    /// push is still delivered, and ref_changes says what happened.
    /// </summary>
    [Fact]
    public async Task BranchDeletionAndTagOnlyPush_AreDelivered_WithNoCommits_AndTheirRefChanges()
    {
        var (site, slug, work) = await NewRepositoryAsync("sqlite", "deltag");
        await CommitAsync(site, work, "a", "1\n", "One");
        await site.Git.RunAsync(work, "branch", "doomed");
        await PushAsync(site, slug, work, "alice", "main", "doomed");
        var facts = new GitFacts(site.Git, work);
        var doomedTip = await facts.RevParseAsync("doomed");

        var deletion = await PushAsync(site, slug, work, "alice", ":doomed");

        AssertEnvelope(site, slug, deletion, "alice", 0);
        Assert.Equal(0, deletion.GetProperty("commits").GetArrayLength());
        var deleted = Assert.Single(deletion.GetProperty("ref_changes").EnumerateArray());
        Assert.Equal(("refs/heads/doomed", "doomed", "branch", "deleted"), RefChange(deleted));
        Assert.Equal(doomedTip, deleted.GetProperty("old").GetString());
        Assert.Equal(new string('0', 40), deleted.GetProperty("new").GetString());

        await site.Git.RunAsync(work, "tag", "v1.0");
        await site.Git.RunAsync(work, "tag", "-a", "v1.1", "-m", "Release 1.1");
        var tags = await PushAsync(site, slug, work, "alice", "v1.0", "v1.1");

        AssertEnvelope(site, slug, tags, "alice", 0);
        Assert.Equal(0, tags.GetProperty("commits").GetArrayLength());
        var changes = tags.GetProperty("ref_changes").EnumerateArray().OrderBy(c => c.GetProperty("ref").GetString()).ToList();
        Assert.Equal(("refs/tags/v1.0", "v1.0", "tag", "created"), RefChange(changes[0]));
        Assert.Equal(("refs/tags/v1.1", "v1.1", "tag", "created"), RefChange(changes[1]));
        Assert.Equal(await facts.RevParseAsync("v1.0"), changes[0].GetProperty("new").GetString());
        Assert.Equal(await facts.RevParseAsync("v1.1"), changes[1].GetProperty("new").GetString()); // the tag object, as git stores the ref
    }

    [Fact]
    public async Task NonAsciiAuthorMessageAndPath_AndInvalidUtf8_SurviveAsValidJson()
    {
        var (site, slug, work) = await NewRepositoryAsync("sqlite", "utf8");
        await CommitAsync(site, work, "dossier/été ✓.txt", "contenu\n", "Grüße aus Köln ✓ 世界\n\nZweite Zeile — “zitiert” & 100% + mehr\n", author: "Zoë Ünïcødé 山田 <zoe@example.org>");
        var message = Path.Combine(site.Folder.Path, "latin1-message");
        await File.WriteAllBytesAsync(message, [.. "Caf"u8, 0xE9, .. " in Latin-1, not UTF-8 "u8, 0xFF, (byte)'\n']);
        await File.WriteAllTextAsync(Path.Combine(work, "b"), "b\n");
        await site.Git.RunAsync(work, "add", "-A");
        await site.Git.RunAsync(work, "commit", "-q", "--cleanup=verbatim", "-F", message);

        var request = await PushRequestAsync(site, slug, work, "alice", "main");

        var payload = ReceivedPayload.Of(request); // parses: valid JSON despite the invalid bytes
        var facts = new GitFacts(site.Git, work);
        var expected = await ExpectedAsync(facts, [], ("main", "main"));
        expected[0].AssertMatches(payload.GetProperty("commits")[0]);
        var latin1 = payload.GetProperty("commits")[1].GetProperty("message").GetString()!;
        Assert.StartsWith("Caf", latin1, StringComparison.Ordinal);
        Assert.Contains(" in Latin-1, not UTF-8 ", latin1, StringComparison.Ordinal);
        Assert.Equal(expected[1].Message, latin1); // each invalid byte became U+FFFD, as it does when git's output is read as UTF-8
    }

    [Fact]
    public async Task PushBeyondTheCap_ListsTheNewestCommits_AndStatesTheTrueCount()
    {
        var (site, slug, work) = await NewRepositoryAsync("sqlite", "cap");
        for (var i = 0; i < PayloadSites.MaxCommits + 3; i++)
        {
            await CommitAsync(site, work, $"f{i}", $"{i}\n", $"Commit {i}");
        }

        var payload = await PushAsync(site, slug, work, "alice", "main");

        var facts = new GitFacts(site.Git, work);
        var all = await ExpectedAsync(facts, [], ("main", "main"));
        Assert.Equal(PayloadSites.MaxCommits + 3, all.Count);
        var commits = payload.GetProperty("commits").EnumerateArray().ToList();
        Assert.Equal(PayloadSites.MaxCommits, commits.Count);
        foreach (var (expected, actual) in all.Skip(3).Zip(commits))
        {
            expected.AssertMatches(actual);
        }

        Assert.Equal(all.Count, payload.GetProperty("commit_count").GetInt32());
        Assert.Equal(PayloadSites.MaxCommits, payload.GetProperty("commit_limit").GetInt32());
        Assert.True(payload.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task FormBody_IsOneFieldPayload_DecodingByteForByteToTheJsonFormatsBody_WithTheSeedsKeys()
    {
        var (site, slug, work) = await NewRepositoryAsync("sqlite", "form", formatToo: true);
        await CommitAsync(site, work, "a b+c&d=e%f.txt", "x\n", "Tricky: a+b=c & 100% ü 日本 \"quoted\" \\ back\n\nline two\ttab\n");

        await site.Git.RunAsync(work, "push", "-q", site.Url(slug), "main");
        var form = (await Receiver.WaitForAsync(r => r.PathAndQuery == "/" + slug, 1)).Single();
        var json = (await Receiver.WaitForAsync(r => r.PathAndQuery == "/" + slug + "/json", 1)).Single();

        Assert.Equal("application/x-www-form-urlencoded", form.Header("content-type"));
        Assert.All(form.Body, b => Assert.True(b is > 0x20 and < 0x7F, $"byte 0x{b:x2} in a form body"));
        var fields = await new FormReader(Encoding.ASCII.GetString(form.Body)).ReadFormAsync();
        var field = Assert.Single(fields);
        Assert.Equal("payload", field.Key);
        Assert.Equal(field.Value.ToString(), QueryHelpers.ParseQuery(Encoding.ASCII.GetString(form.Body))["payload"].ToString());
        Assert.StartsWith("application/json", json.Header("content-type"), StringComparison.Ordinal);
        Assert.Equal(json.Body, Encoding.UTF8.GetBytes(field.Value.ToString()));

        var payload = JsonDocument.Parse(json.Body).RootElement;
        Assert.Equal(["canon_url", "commits", "repository", "user"], Keys(payload).Take(4));
        Assert.Equal(
            ["author", "branch", "files", "message", "node", "parents", "raw_author", "raw_node", "revision", "size", "timestamp", "utctimestamp"],
            Keys(payload.GetProperty("commits")[0]).Take(12));
        Assert.Equal(["file", "type"], Keys(payload.GetProperty("commits")[0].GetProperty("files")[0]));
        Assert.Equal(["absolute_url", "fork", "is_private", "name", "owner", "scm", "slug", "website"], Keys(payload.GetProperty("repository")));
        var expected = await ExpectedAsync(new GitFacts(site.Git, work), [], ("main", "main"));
        await AssertPayloadAsync(site, slug, payload, "alice", expected);
    }

    private static IEnumerable<string> Keys(JsonElement o) => o.EnumerateObject().Select(p => p.Name);

    private static (string, string, string, string) RefChange(JsonElement c) =>
        (c.GetProperty("ref").GetString()!, c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!, c.GetProperty("action").GetString()!);

    private async Task<(Site Site, string Slug, string Work)> NewRepositoryAsync(string backend, string name, bool formatToo = false)
    {
        var site = await sites.SiteAsync(backend);
        var slug = $"{name}-{backend}";
        var work = await Repos.CreateAsync(site, slug);
        await Hook.AddAsync(site, slug, $"{Receiver.Url}/{slug}");
        if (formatToo)
        {
            await Hook.AddAsync(site, slug, $"{Receiver.Url}/{slug}/json", "json");
        }

        return (site, slug, work);
    }

    private static async Task CommitAsync(Site site, string work, string file, string content, string message, string? author = null, string? date = null)
    {
        var full = Path.Combine(work, file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, content);
        await site.Git.RunAsync(work, "add", "-A");
        var messageFile = Path.Combine(site.Folder.Path, "message-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(messageFile, message);
        List<string> args = ["commit", "-q", "--cleanup=verbatim", "-F", messageFile];
        if (author is not null)
        {
            args.Add("--author=" + author);
        }

        if (date is not null)
        {
            args.Add("--date=" + date);
        }

        await site.Git.RunAsync(work, [.. args]);
    }

    /// <summary>Pushes as <paramref name="pusher"/> and returns the one new request for this repository.</summary>
    private async Task<ReceivedRequest> PushRequestAsync(Site site, string slug, string work, string pusher, params string[] refspecs)
    {
        var path = "/" + slug;
        var seen = Receiver.Requests.Count(r => r.PathAndQuery == path);
        await site.Git.RunAsync(work, ["push", "-q", site.Server.GitUrl("alice", slug, pusher, Site.Password), .. refspecs]);
        var requests = await Receiver.WaitForAsync(r => r.PathAndQuery == path, seen + 1);
        await Task.Delay(100); // a second request for the same push would be a bug; give it a moment to show
        Assert.Equal(seen + 1, Receiver.Requests.Count(r => r.PathAndQuery == path));
        Assert.Equal("push", requests[^1].Header("x-posthorn-event"));
        return requests[^1];
    }

    private async Task<JsonElement> PushAsync(Site site, string slug, string work, string pusher, params string[] refspecs) =>
        ReceivedPayload.Of(await PushRequestAsync(site, slug, work, pusher, refspecs));

    private static async Task<List<ExpectedCommit>> ExpectedAsync(GitFacts facts, IReadOnlyList<string> before, (string Rev, string Branch) tip)
    {
        var list = new List<ExpectedCommit>();
        foreach (var hash in await facts.NewCommitsAsync(tip.Rev, before))
        {
            list.Add(await facts.CommitAsync(hash, tip.Branch, Usernames));
        }

        return list;
    }

    private static async Task AssertPayloadAsync(Site site, string slug, JsonElement payload, string pusher, IReadOnlyList<ExpectedCommit> expected)
    {
        var commits = payload.GetProperty("commits").EnumerateArray().ToList();
        Assert.Equal(expected.Count, commits.Count);
        foreach (var (e, actual) in expected.Zip(commits))
        {
            e.AssertMatches(actual);
        }

        AssertEnvelope(site, slug, payload, pusher, expected.Count);
        var repository = await site.ApiJsonAsync(HttpMethod.Get, $"/api/repos/alice/{slug}");
        var r = payload.GetProperty("repository");
        Assert.Equal(repository.GetProperty("name").GetString(), r.GetProperty("name").GetString());
        Assert.Equal(repository.GetProperty("is_private").GetBoolean(), r.GetProperty("is_private").GetBoolean());
        Assert.Equal(repository.GetProperty("fork").GetBoolean(), r.GetProperty("fork").GetBoolean());
        Assert.Equal(repository.GetProperty("website").GetString(), r.GetProperty("website").GetString());
        Assert.Equal($"Project {slug}", r.GetProperty("name").GetString());
        Assert.Equal($"https://example.com/{slug}", r.GetProperty("website").GetString());
    }

    private static void AssertEnvelope(Site site, string slug, JsonElement payload, string pusher, int commitCount)
    {
        Assert.Equal(site.Server.BaseUrl, payload.GetProperty("canon_url").GetString());
        Assert.Equal(pusher, payload.GetProperty("user").GetString());
        var r = payload.GetProperty("repository");
        Assert.Equal($"/alice/{slug}/", r.GetProperty("absolute_url").GetString());
        Assert.Equal(slug, r.GetProperty("slug").GetString());
        Assert.Equal("alice", r.GetProperty("owner").GetString());
        Assert.Equal("git", r.GetProperty("scm").GetString());
        Assert.False(r.GetProperty("is_private").GetBoolean());
        Assert.False(r.GetProperty("fork").GetBoolean());
        Assert.Equal(commitCount, payload.GetProperty("commit_count").GetInt32());
        Assert.Equal(PayloadSites.MaxCommits, payload.GetProperty("commit_limit").GetInt32());
        Assert.Equal(commitCount > PayloadSites.MaxCommits, payload.GetProperty("truncated").GetBoolean());
    }
}
