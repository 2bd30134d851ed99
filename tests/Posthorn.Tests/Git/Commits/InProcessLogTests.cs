using System.Text;
using System.Text.Json;
using Posthorn.Git.Commits;

namespace Posthorn.Tests.Git.Commits;

/// <summary>
/// The in-process listing against git log on the same repository: wherever it answers, every field,
/// file and flag is git's; where it gives way (null), the listing still comes from git. The cases
/// that must not give way are asserted too, so a reader that always gave way would fail here.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InProcessLogTests : IDisposable
{
    private static readonly CommitCaps Caps = new(20, 1000, 64 * 1024, 1024 * 1024);

    private readonly GitSandbox sandbox = new();
    private readonly string work;
    private readonly string gitDirectory;

    public InProcessLogTests()
    {
        work = sandbox.NewWorkTree("work", "a.txt", "dir/b.txt", "dir/sub/c.txt");
        gitDirectory = Path.Combine(work, ".git");
        Assert.True(ReadsLikeGit.Repository(gitDirectory), "a plain repository (and this machine's git configs) must allow the in-process read");
    }

    public void Dispose() => sandbox.Dispose();

    [Fact]
    public async Task RandomWalk_EveryStraightPushReadInProcess_SameAsGitLog()
    {
        var random = new Random(1729);
        string[] names = ["a.txt", "dir/b.txt", "dir/sub/c.txt", "dir/z", "dir.txt", "dir-x/y", "é/ü.txt", "日本/語", "x", "x/y", "s p a c e", "Z"];
        for (var step = 0; step < 30; step++)
        {
            var before = Head();
            var commits = random.Next(1, 4);
            for (var c = 0; c < commits; c++)
            {
                for (var change = random.Next(0, 4); change > 0; change--)
                {
                    Change(names[random.Next(names.Length)], random);
                }

                sandbox.Git(work, "add -A");
                var author = random.Next(3) switch { 0 => "Ann Author", 1 => "Zoë Ünicode", _ => "Bob O'Brien" };
                var message = random.Next(4) switch
                {
                    0 => "short",
                    1 => "subject\n\nbody line\n  indented\n",
                    2 => "trailing spaces   \n\n\n",
                    _ => "naïve ✓ message " + new string('x', random.Next(1, 200)),
                };
                sandbox.Git(work, "commit -q --allow-empty --cleanup=verbatim -F -", stdin: message, environment: new Dictionary<string, string>
                {
                    ["GIT_AUTHOR_NAME"] = author,
                    ["GIT_AUTHOR_EMAIL"] = random.Next(2) == 0 ? "ann@example.com" : "Bob.O@Example.COM",
                    ["GIT_AUTHOR_DATE"] = $"{1_500_000_000 + random.Next(100_000_000)} {(random.Next(2) == 0 ? "+" : "-")}{random.Next(0, 14):00}{random.Next(0, 4) * 15:00}",
                });
            }

            await AssertInProcessAsync(Head(), before, [before]);
        }
    }

    [Fact]
    public async Task FileToDirectoryModeAndSymlinkChanges_SameAsGitLog()
    {
        var before = Head();
        File.Delete(Path.Combine(work, "a.txt"));
        Directory.CreateDirectory(Path.Combine(work, "a.txt"));
        File.WriteAllText(Path.Combine(work, "a.txt", "inner"), "now a directory\n");
        sandbox.Git(work, "add -A");
        sandbox.Git(work, "commit -q -m file-to-dir");
        File.SetUnixFileMode(Path.Combine(work, "dir", "b.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        sandbox.Git(work, "add -A");
        sandbox.Git(work, "commit -q -m mode");
        File.Delete(Path.Combine(work, "dir", "sub", "c.txt"));
        File.CreateSymbolicLink(Path.Combine(work, "dir", "sub", "c.txt"), "../b.txt");
        sandbox.Git(work, "add -A");
        sandbox.Git(work, "commit -q -m symlink");
        Directory.Delete(Path.Combine(work, "dir"), recursive: true);
        File.WriteAllText(Path.Combine(work, "dir"), "now a file\n");
        sandbox.Git(work, "add -A");
        sandbox.Git(work, "commit -q -m dir-to-file");

        var listing = await AssertInProcessAsync(Head(), before, [before]);
        Assert.Equal(["added:a.txt/inner", "removed:a.txt"], Files(listing, 0).Order());
        Assert.Equal(["modified:dir/b.txt"], Files(listing, 1));
        Assert.Equal(["modified:dir/sub/c.txt"], Files(listing, 2));
    }

    [Fact]
    public async Task CommitsAlreadyOnAnotherBranch_HiddenAsGitHidesThem()
    {
        var before = Head();
        var shared = sandbox.Commit(work, "shared.txt");
        sandbox.Commit(work, "mine.txt");

        var listing = await AssertInProcessAsync(Head(), before, [before, shared]);
        Assert.Equal(1, listing.Listed);
    }

    [Fact]
    public async Task SmallCaps_MessageCutOnACharacterAndFilesCounted_SameAsGitLog()
    {
        var before = Head();
        foreach (var name in new[] { "m1", "m2", "m3" })
        {
            File.WriteAllText(Path.Combine(work, name), name);
        }

        sandbox.Git(work, "add -A");
        sandbox.Git(work, "commit -q -F -", stdin: "ééééééééééé and more\n");

        var caps = new CommitCaps(20, 2, 7, 1024);
        var listing = await AssertInProcessAsync(Head(), before, [before], caps);
        Assert.True(listing.Commits[0].MessageTruncated);
        Assert.Equal(3, listing.Commits[0].FileCount);
    }

    [Fact]
    public async Task MergeRootAndOverTheCap_GiveWayToGit()
    {
        var root = sandbox.RevParse(work, "HEAD~2");
        await AssertGivesWayAsync(Head(), "0000000000000000000000000000000000000000", []);

        var before = Head();
        sandbox.Git(work, "checkout -q -b side HEAD~1");
        sandbox.Commit(work, "side.txt");
        sandbox.Git(work, "checkout -q main");
        sandbox.Commit(work, "main.txt");
        sandbox.Git(work, "merge -q --no-edit side");
        await AssertGivesWayAsync(Head(), before, [before]);

        var linear = Head();
        for (var i = 0; i < 4; i++)
        {
            sandbox.Commit(work, $"many{i}.txt");
        }

        await AssertGivesWayAsync(Head(), linear, [linear], new CommitCaps(3, 1000, 1024, 1024 * 1024));
        Assert.NotNull(root);
    }

    [Fact]
    public async Task PackedCommitEncodingAndOddIdent_GiveWayToGit()
    {
        var before = Head();
        sandbox.Commit(work, "packed.txt");
        sandbox.Git(work, "gc -q");
        await AssertGivesWayAsync(Head(), before, [before]);

        before = Head();
        sandbox.Git(work, "-c i18n.commitEncoding=ISO-8859-1 commit -q --allow-empty -m latin");
        await AssertGivesWayAsync(Head(), before, [before]);

        // A timestamp with leading zeros and a -0000 zone: git prints the parsed numbers, not the bytes.
        foreach (var ident in new[] { "Odd <odd@example.com> 0001500000000 +0100", "Odd <odd@example.com> 1500000000 -0000", "Odd  <odd@example.com> 1500000000 +0100" })
        {
            before = Head();
            var tree = sandbox.RevParse(work, "HEAD^{tree}");
            var body = $"tree {tree}\nparent {before}\nauthor {ident}\ncommitter {ident}\n\nodd ident\n";
            var id = sandbox.Git(work, "hash-object -t commit -w --literally --stdin", stdin: body).Stdout.Trim();
            sandbox.Git(work, $"update-ref refs/heads/main {id}");
            await AssertGivesWayAsync(id, before, [before]);
        }
    }

    [Fact]
    public async Task ReplaceRefs_GiveWayToGit()
    {
        var before = Head();
        var replaced = sandbox.Commit(work, "r1.txt");
        var other = sandbox.Commit(work, "r2.txt");
        sandbox.Git(work, $"replace {replaced} {other}");

        Assert.False(ReadsLikeGit.Repository(gitDirectory));
        await AssertGivesWayAsync(Head(), before, [before]);
    }

    [Fact]
    public async Task ManyTipsBeforeThePush_GiveWayToGit()
    {
        var before = Head();
        sandbox.Commit(work, "one-more.txt");

        await AssertInProcessAsync(Head(), before, [.. Enumerable.Repeat(before, 256)]);
        await AssertGivesWayAsync(Head(), before, [.. Enumerable.Repeat(before, 257)]);
    }

    [Theory]
    [InlineData("diff.orderFile", "ORDER")]
    [InlineData("i18n.logOutputEncoding", "ISO-8859-1")]
    [InlineData("include.path", "elsewhere")]
    public async Task ConfigThatChangesGitsOutput_GivesWayToGit(string key, string value)
    {
        var before = Head();
        File.WriteAllText(Path.Combine(work, "b.txt"), "b\n");
        sandbox.Commit(work, "a2.txt");
        var order = sandbox.PathOf("order");
        File.WriteAllText(order, "b.txt\na2.txt\n"); // git would list b.txt first, against tree order
        sandbox.Git(work, $"config {key} {(value == "ORDER" ? order : value)}");

        Assert.False(ReadsLikeGit.Repository(gitDirectory));
        await AssertGivesWayAsync(Head(), before, [before]);
    }

    private string Head() => sandbox.RevParse(work, "HEAD");

    private void Change(string name, Random random)
    {
        var path = Path.Combine(work, name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true); // a directory becomes nothing (and maybe a file next time)
            return;
        }

        if (File.Exists(path) && random.Next(3) == 0)
        {
            File.Delete(path);
            return;
        }

        // Skip names whose parent is a file right now: the walk reaches them the other way round later.
        var parent = Path.GetDirectoryName(path)!;
        for (var up = parent; up.Length > work.Length; up = Path.GetDirectoryName(up)!)
        {
            if (File.Exists(up))
            {
                return;
            }
        }

        Directory.CreateDirectory(parent);
        File.WriteAllText(path, $"{name} {random.Next()}\n");
        if (random.Next(5) == 0)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | (random.Next(2) == 0 ? UnixFileMode.UserExecute : 0));
        }
    }

    private async Task<CommitListing> AssertInProcessAsync(string tip, string oldTip, string[] excluded, CommitCaps? caps = null)
    {
        var fast = InProcessLog.TryList(gitDirectory, tip, oldTip, excluded, caps ?? Caps);
        Assert.NotNull(fast);
        var git = await new CommitLog(sandbox.Runner, gitDirectory, inProcess: false).ListAsync(tip, oldTip, excluded, caps ?? Caps, CancellationToken.None);
        Assert.Equal(Describe(git), Describe(fast));
        return fast;
    }

    private async Task AssertGivesWayAsync(string tip, string oldTip, string[] excluded, CommitCaps? caps = null)
    {
        Assert.Null(InProcessLog.TryList(gitDirectory, tip, oldTip, excluded, caps ?? Caps));
        var git = await new CommitLog(sandbox.Runner, gitDirectory, inProcess: false).ListAsync(tip, oldTip, excluded, caps ?? Caps, CancellationToken.None);
        var viaLog = await new CommitLog(sandbox.Runner, gitDirectory).ListAsync(tip, oldTip, excluded, caps ?? Caps, CancellationToken.None);
        Assert.Equal(Describe(git), Describe(viaLog));
    }

    private static string[] Files(CommitListing listing, int index) =>
        [.. listing.Commits[index].Files.Select(f => $"{f.Type}:{f.File}")];

    /// <summary>Every field of a listing, for comparing two as text (the red-team tests use it too).</summary>
    internal static string Describe(CommitListing listing) =>
        JsonSerializer.Serialize(new
        {
            listing.Listed,
            listing.ExtendsOldTip,
            Commits = listing.Commits.Select(c => new
            {
                c.Hash, c.Parents, c.AuthorName, c.AuthorEmail, c.AuthorDate, c.Message, c.MessageTruncated, c.TreeId,
                c.CommitterName, c.CommitterEmail, c.CommitterDate, c.TextBytes, c.FileCount,
                Files = c.Files.Select(f => $"{f.Type}:{f.File}"),
            }),
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
