using System.Text;
using Posthorn.Git.Commits;

namespace Posthorn.Tests.Git.Commits;

/// <summary>
/// Odd inputs crafted byte for byte (idents, headers, messages, trees, excluded objects, history
/// with skewed dates) against git log: wherever the in-process read answers, its listing must be
/// git log's exactly. The cases it is expected to answer are asserted too, so giving way
/// everywhere would fail here.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InProcessLogRedTeamTests : IDisposable
{
    private const string Ident = "A U Thor <author@example.com> 1700000000 +0100";
    private static readonly CommitCaps Caps = new(100, 1000, 64 * 1024, 1024 * 1024);

    private readonly GitSandbox sandbox = new();
    private readonly string work;
    private readonly string gitDirectory;
    private int crafted;

    public InProcessLogRedTeamTests()
    {
        work = sandbox.NewWorkTree("work", "a.txt", "dir/b.txt");
        gitDirectory = Path.Combine(work, ".git");
    }

    public void Dispose() => sandbox.Dispose();

    public static TheoryData<string, bool> Idents() => new()
    {
        { "A U Thor <a@example.com> 1500000000 +1400", true },
        { "A U Thor <a@example.com> 1500000000 -1200", true },
        { "A U Thor <a@example.com> 1500000000 +0060", true },
        { "A U Thor <a@example.com> 1500000000 +9999", true },
        { "A U Thor <a@example.com> 1500000000 -9959", true },
        { "A U Thor <a@example.com> 9999999999 +0000", true },
        { "A U Thor <a@example.com> 0 +0000", true },
        { "A U Thor <a@example.com> 4294967296 -0001", true },
        { "A\tU  Thor <a@example.com> 1 +0000", true },
        { "A <> 1 +0000", true },
        { "A\u00a0 <a@example.com> 1 +0000", true },
        { "<a@example.com> 1 +0000", false },
        { " A <a@example.com> 1 +0000", false },
        { "A <a@example.com>  1 +0000", false },
        { "A <a@example.com> 1  +0000", false },
        { "A <a@example.com> 1 +00000", false },
        { "A <a@example.com> 1 +000", false },
        { "A <a@example.com> 1 +0000 extra", false },
        { "A <a@example.com> 1", false },
        { "A <a@example.com>", false },
        { "A <a@example.com> 99999999999 +0000", false },
        { "A <a@b> c> 1 +0000", false },
        { "A <a@example.com>1 +0000", false },
        { "A <a@example.com> 1 +0000\r", false },
        { "A\r <a@example.com> 1 +0000", false },
        { "A <a@example.com> -1 +0000", false },
        { "A <a@example.com> 253402300800 +0000", false }, // year 10000: libgit2's signature throws on it
        { "A <a@example.com> 99999999999999 +0000", false },
    };

    [Theory]
    [InlineData("253402300800 +0000")]
    [InlineData("99999999999999 +0000")]
    [InlineData("-62135596900 +0000")]
    public async Task ACommitterDateOutsideTheCalendar_IsListedAsGitListsIt_NotAFailedPush(string date)
    {
        // A push with such a commit was refused (503) and, once the commit was in a branch, every
        // later push of the branch was: the in-process read threw instead of giving way to git.
        var before = Head();
        var id = CommitObject(Tree(before), before, $"author {Ident}\ncommitter C <c@example.com> {date}\n", "far out\n");

        var listing = await new CommitLog(sandbox.Runner, gitDirectory, inProcess: true).ListAsync(id, before, [before], Caps, CancellationToken.None);
        var git = await new CommitLog(sandbox.Runner, gitDirectory, inProcess: false).ListAsync(id, before, [before], Caps, CancellationToken.None);

        Assert.Equal(InProcessLogTests.Describe(git), InProcessLogTests.Describe(listing));
        Assert.Contains("far out", InProcessLogTests.Describe(listing), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Idents))]
    public async Task OddIdents_SameAsGitLogOrGiveWay(string ident, bool answers)
    {
        var before = Head();
        var id = CommitObject(Tree(before), before, $"author {ident}\ncommitter {Ident}\n", "m\n");
        var other = CommitObject(Tree(before), id, $"author {Ident}\ncommitter {ident}\n", "m\n");
        Assert.Equal(answers, await SameAsGitLogAsync(other, before, [before]));
    }

    [Fact]
    public async Task NonUtf8AndOddBytesInIdentsAndMessages_SameAsGitLog()
    {
        var before = Head();
        byte[][] names = [[0x41, 0x85], [0x41, 0xC3], [0x41, 0xE2, 0x82], [0xFF, 0xFE, 0x41], [0x41, 0xC3, 0xA9], [0xF0, 0x9F, 0x98, 0x80]];
        var parent = before;
        foreach (var name in names)
        {
            var header = Join(Encoding.UTF8.GetBytes("author "), name, Encoding.UTF8.GetBytes(" <"), name, Encoding.UTF8.GetBytes("@x> 1 +0000\ncommitter "), name, Encoding.UTF8.GetBytes(" <c@x> 2 +0000\n"));
            parent = CommitObject(Tree(before), parent, header, Join(Encoding.UTF8.GetBytes("subject "), name, Encoding.UTF8.GetBytes("\n\nbody "), name));
        }

        Assert.True(await SameAsGitLogAsync(parent, before, [before]));
    }

    public static TheoryData<string> Messages() =>
    [
        "", "\n", "\n\n", "no newline", "subject only\n", "\n\nleading blank lines\n", "crlf\r\n\r\nbody\r\n", "cr\ronly",
        "trailing   \n\n\n", "\x01starts with SOH\n", "tab\tand\vform\ffeed\n", "# comment-like\n", "\u2028line separator\u2029\n",
        "subject\n\nSigned-off-by: A <a@b>\n", "ééé\n", new string('x', 300) + "\n",
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task OddMessages_SameAsGitLog(string message)
    {
        var before = Head();
        var id = CommitObject(Tree(before), before, $"author {Ident}\ncommitter {Ident}\n", message);
        Assert.True(await SameAsGitLogAsync(id, before, [before]));
        foreach (var cap in new[] { 0, 1, 7 })
        {
            Assert.True(await SameAsGitLogAsync(id, before, [before], new CommitCaps(10, 10, cap, 1024 * 1024)));
        }
    }

    [Fact]
    public async Task MessageCutInsideInvalidUtf8_SameAsGitLog()
    {
        var before = Head();
        byte[] message = [0x61, 0xE2, 0x82, 0xAC, 0xE2, 0x82, 0x41, 0xF0, 0x9F, 0x98, 0x80, 0x80, 0x80, 0xC3, 0xFF, 0xC3];
        var id = CommitObject(Tree(before), before, Encoding.UTF8.GetBytes($"author {Ident}\ncommitter {Ident}\n"), message);
        for (var cap = 0; cap <= message.Length + 1; cap++)
        {
            Assert.True(await SameAsGitLogAsync(id, before, [before], new CommitCaps(10, 10, cap, 1024 * 1024)));
        }
    }

    public static TheoryData<string, bool> Headers() => new()
    {
        { $"author {Ident}\ncommitter {Ident}\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n author X <x@y> 1 +0000\n -----END PGP SIGNATURE-----\n", true },
        { $"author {Ident}\ncommitter {Ident}\nmergetag object 0000000000000000000000000000000000000000\n type commit\n tag v1\n\n", true },
        { $"author {Ident}\ncommitter {Ident}\nx-unknown header value\n", true },
        { $"author {Ident}\ncommitter {Ident}\nencoding UTF-8\n", false },
        { $"author {Ident}\ncommitter {Ident}\nencoding utf8\n", false },
        { $"author {Ident}\ncommitter {Ident}\nauthor B <b@c> 2 +0000\n", false },
        { $"author {Ident}\ncommitter {Ident}\ncommitter B <b@c> 2 +0000\n", false },
        { $"committer {Ident}\nauthor {Ident}\n", false },
        { $"author {Ident}\nx-between y\ncommitter {Ident}\n", false },
        { $"author {Ident}\n", false },
        { $"author {Ident}\ncommitter {Ident}\n \n", true },
        { $"author {Ident}\ncommitter {Ident}\n\r", true },
        { $"author {Ident}\ncommitter {Ident}\n\r\nauthor B <b@c> 2 +0000", false },
        { $"author {Ident}\ncommitter {Ident}\n\r\nencoding ISO-8859-1", false },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task ExtraHeaders_SameAsGitLogOrGiveWay(string headers, bool answers)
    {
        var before = Head();
        var id = CommitObject(Tree(before), before, headers, "headers\n\nbody\n");
        var answered = await SameAsGitLogAsync(id, before, [before]);
        if (headers.Contains("mergetag", StringComparison.Ordinal))
        {
            return; // the blank continuation ends the header for both; only agreement matters
        }

        Assert.Equal(answers, answered);
    }

    [Fact]
    public async Task PathOrderEdgeCases_SameAsGitLog()
    {
        var before = Head();
        var blob = Blob("x\n");
        var other = Blob("y\n");
        var empty = Blob("");
        var sub = TreeOf(("100644", "b", blob), ("100755", "c", blob));
        var steps = new[]
        {
            TreeOf(("100644", "a", blob), ("100644", "a-b", blob), ("100644", "a.b", blob), ("40000", "a0", sub), ("100644", "a0b", blob)),
            TreeOf(("40000", "a", sub), ("100644", "a-b", other), ("120000", "a.b", blob), ("100644", "a0", blob), ("100644", "a0b", empty)),
            TreeOf(("100755", "a", blob), ("40000", "a-b", sub), ("100644", "a.b", blob), ("40000", "a0", TreeOf(("40000", "a", sub))), ("100644", "a0b", empty)),
            TreeOf(("100644", "a", other), ("100644", "b", empty), ("100644", "b c", empty), ("100644", "b\tc", empty), ("100644", "b\nc", empty), ("100644", "b\"c\\", empty), ("100644", "é", empty)),
            TreeOf(("100644", "b", empty)),
            TreeOf(("100644", "b", empty)),
            TreeOf(("100755", "b", empty)),
            TreeOf(("120000", "b", empty)),
            TreeOf(("40000", "b", TreeOf(("40000", "c", TreeOf(("100644", "d", empty)))))),
            TreeOf(("100644", "b", empty)),
        };
        var parent = before;
        foreach (var tree in steps)
        {
            parent = CommitObject(tree, parent, $"author {Ident}\ncommitter {Ident}\n", "step\n");
        }

        Assert.True(await SameAsGitLogAsync(parent, before, [before]));
    }

    [Fact]
    public async Task RandomCraftedTrees_UnsortedAndDuplicateEntries_SameAsGitLog()
    {
        var random = new Random(4711);
        var blobs = new[] { Blob("1\n"), Blob("2\n"), Blob("") };
        string[] names = ["a", "a-b", "a.b", "a0", "a/b", "b", "é"];
        for (var push = 0; push < 4; push++)
        {
            var before = Head();
            var parent = before;
            for (var step = 0; step < 12; step++)
            {
                parent = CommitObject(RandomTree(random, blobs, names, 2, sorted: push < 2), parent, $"author {Ident}\ncommitter {Ident}\n", $"step {step}\n");
            }

            await SameAsGitLogAsync(parent, before, [before]);
            sandbox.Git(work, $"update-ref refs/heads/main {parent}");
        }
    }

    [Fact]
    public async Task CraftedEntryNamesAndKinds_SameAsGitLog()
    {
        var before = Head();
        var blob = Blob("x\n");
        var tree = TreeOf(("100644", "f", blob));
        string[][] names = [["a/b", "a"], ["", "b"], [".", ".."], [".git", "b"]];
        foreach (var pair in names)
        {
            var first = CommitObject(TreeOf(("100644", pair[0], blob), ("100644", pair[1], blob)), before, $"author {Ident}\ncommitter {Ident}\n", "names\n");
            var second = CommitObject(TreeOf(("100755", pair[0], blob)), first, $"author {Ident}\ncommitter {Ident}\n", "names again\n");
            await SameAsGitLogAsync(second, before, [before]);
        }

        // A file's mode naming a tree, a directory's naming a blob: git goes by the mode.
        var fileIsTree = CommitObject(TreeOf(("100644", "t", tree)), before, $"author {Ident}\ncommitter {Ident}\n", "file is a tree\n");
        var then = CommitObject(TreeOf(("100644", "t", blob)), fileIsTree, $"author {Ident}\ncommitter {Ident}\n", "then a blob\n");
        await SameAsGitLogAsync(then, before, [before]);
        var dirIsBlob = CommitObject(TreeOf(("40000", "d", blob)), before, $"author {Ident}\ncommitter {Ident}\n", "dir is a blob\n");
        await SameAsGitLogAsync(dirIsBlob, before, [before]);
    }

    [Fact]
    public async Task HeadersNamingObjectsOfTheWrongTypeOrNone_SameAsGitLogOrGiveWay()
    {
        var before = Head();
        var blob = Blob("x\n");
        var missing = "0123456789abcdef0123456789abcdef01234567";
        var tree = Tree(before);
        foreach (var (treeId, parent) in new[] { (blob, before), (missing, before), (tree, tree), (tree, blob), (tree, missing) })
        {
            var id = Craft("commit", Encoding.UTF8.GetBytes($"tree {treeId}\nparent {parent}\nauthor {Ident}\ncommitter {Ident}\n\nodd\n"));
            await SameAsGitLogAsync(id, before, [before]);
            var child = CommitObject(tree, id, $"author {Ident}\ncommitter {Ident}\n", "child\n");
            await SameAsGitLogAsync(child, before, [before]);
            await SameAsGitLogAsync(child, id, [id]);
        }

        await SameAsGitLogAsync(missing, before, [before]);
        await SameAsGitLogAsync(Head(), before, [before, missing]);
    }

    [Fact]
    public async Task NonUtf8PathsAndGitlinks_GiveWay()
    {
        var before = Head();
        var blob = Blob("x\n");
        var latin = CommitObject(RawTree(("100644", [0x66, 0xE9], blob)), before, $"author {Ident}\ncommitter {Ident}\n", "latin path\n");
        Assert.False(await SameAsGitLogAsync(latin, before, [before]));

        var replacement = CommitObject(TreeOf(("100644", "\uFFFD", blob)), before, $"author {Ident}\ncommitter {Ident}\n", "replacement char\n");
        await SameAsGitLogAsync(replacement, before, [before]);

        var gitlink = CommitObject(TreeOf(("160000", "sub", before), ("100644", "z", blob)), before, $"author {Ident}\ncommitter {Ident}\n", "gitlink\n");
        Assert.False(await SameAsGitLogAsync(gitlink, before, [before]));

        var group = CommitObject(TreeOf(("100664", "g", blob)), before, $"author {Ident}\ncommitter {Ident}\n", "group writable\n");
        await SameAsGitLogAsync(group, before, [before]);
    }

    [Fact]
    public async Task ExcludedTagsTreesBlobsAndDescendants_SameAsGitLog()
    {
        var before = Head();
        var first = sandbox.Commit(work, "one.txt");
        var second = sandbox.Commit(work, "two.txt");
        var tip = sandbox.Commit(work, "three.txt");
        sandbox.Git(work, $"tag -a -m tag annotated {before}");
        sandbox.Git(work, $"tag -a -m tag tree-tag {before}^{{tree}}");
        sandbox.Git(work, $"tag -a -m tag blob-tag {before}:a.txt");
        sandbox.Git(work, "tag -a -m tag nested annotated");
        var tag = sandbox.RevParse(work, "annotated");
        var nested = sandbox.RevParse(work, "nested");
        var treeTag = sandbox.RevParse(work, "tree-tag");
        var blobTag = sandbox.RevParse(work, "blob-tag");
        var tree = sandbox.RevParse(work, $"{before}^{{tree}}");
        var blob = sandbox.RevParse(work, $"{before}:a.txt");

        await SameAsGitLogAsync(tip, before, [tag]);
        await SameAsGitLogAsync(tip, before, [nested]);
        await SameAsGitLogAsync(tip, before, [tree, before]);
        await SameAsGitLogAsync(tip, before, [before, tree]);
        await SameAsGitLogAsync(tip, before, [blob, treeTag, blobTag, before]);
        await SameAsGitLogAsync(tip, before, [before, blob, treeTag, blobTag]);
        Assert.True(await SameAsGitLogAsync(tip, before, [before, first]));
        await SameAsGitLogAsync(first, before, [before, second]);
        Assert.True(await SameAsGitLogAsync(tip, before, [tip]));
        Assert.True(await SameAsGitLogAsync(tip, before, [tip, before]));
        Assert.True(await SameAsGitLogAsync(before, before, [before]));
        Assert.True(await SameAsGitLogAsync(tip, "0000000000000000000000000000000000000000", [before]));
        Assert.True(await SameAsGitLogAsync(tip, first, [before]));

        // Pushed tips that are no commit: a tag of a commit, of a tree, of a blob, a tree itself.
        sandbox.Git(work, $"tag -a -m tag tip-tag {tip}");
        await SameAsGitLogAsync(sandbox.RevParse(work, "tip-tag"), before, [before]);
        await SameAsGitLogAsync(treeTag, before, [before]);
        await SameAsGitLogAsync(blobTag, before, [before]);
        await SameAsGitLogAsync(tree, before, [before]);
        await SameAsGitLogAsync(blob, before, [before]);
    }

    [Fact]
    public async Task CapsAtTheirEdges_SameAsGitLog()
    {
        var before = Head();
        for (var i = 0; i < 5; i++)
        {
            for (var f = 0; f <= i; f++)
            {
                File.WriteAllText(Path.Combine(work, $"f{f}"), $"{i}\n");
            }

            sandbox.Git(work, "add -A");
            sandbox.Git(work, "commit -q -F -", stdin: $"commit {i} " + new string('m', i * 10) + "\n");
        }

        var tip = Head();
        Assert.True(await SameAsGitLogAsync(tip, before, [before], new CommitCaps(5, 1000, 1024, 1024 * 1024)));
        Assert.False(await SameAsGitLogAsync(tip, before, [before], new CommitCaps(4, 1000, 1024, 1024 * 1024)));
        foreach (var maxFiles in new[] { 0, 1, 2, 3 })
        {
            Assert.True(await SameAsGitLogAsync(tip, before, [before], new CommitCaps(5, maxFiles, 1024, 1024 * 1024)));
        }

        foreach (var keep in new long[] { 0, 1, 20, 40, 60, 100, 200 })
        {
            Assert.True(await SameAsGitLogAsync(tip, before, [before], new CommitCaps(5, 2, 8, keep)));
        }
    }

    /// <summary>
    /// git stops a limited walk a few commits after only excluded ones remain (its "slop"), so with
    /// dates skewed it can list commits an excluded tip reaches through differently dated history;
    /// a commit-graph changes how git walks. Whatever git lists, the in-process read must list too.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task ExcludedTipReachingNewCommitsThroughSkewedDates_SameAsGitLog(bool commitGraph, bool newCommitsOlder)
    {
        var before = Head();
        var (newDate, sideDate) = newCommitsOlder ? (1000000000, 1800000000) : (1800000000, 1000000000);
        foreach (var length in new[] { 0, 2, 5, 6, 7, 12 })
        {
            string Next(string parent, int date, string message) =>
                CommitObject(Tree(before), parent, $"author A <a@b> {date} +0000\ncommitter A <a@b> {date} +0000\n", $"{message} {length}\n");

            var n1 = Next(before, newDate, "n1");
            var n2 = Next(n1, newDate + 1, "n2");
            var side = n2;
            for (var i = 0; i < length; i++)
            {
                side = Next(side, sideDate + i, $"side {i}");
            }

            var n3 = Next(n2, newDate + 2, "n3");
            if (commitGraph)
            {
                sandbox.Git(work, "commit-graph write --stdin-commits", stdin: $"{side}\n{before}\n");
            }

            await SameAsGitLogAsync(n3, before, [before, side]);
            await SameAsGitLogAsync(n3, before, [side, before]);
            await SameAsGitLogAsync(n3, before, [side]);

            // The usual fast-forward, whose base is an excluded tip, is still read in-process (without a commit-graph).
            Assert.Equal(!commitGraph, await SameAsGitLogAsync(n3, n2, [n2, side]));
        }
    }

    /// <summary>
    /// Side branches off a straight line, each commit dated at random in 2001 or 2027: clock skew
    /// everywhere. With this seed libgit2's walk alone lists commits git log does not (it stops
    /// elsewhere), with the line's base an excluded tip: only the mirrored git walk catches that.
    /// </summary>
    [Fact]
    public async Task RandomSkewedSideBranches_SameAsGitLog()
    {
        var random = new Random(1);
        var before = Head();
        var tree = Tree(before);
        var answered = 0;
        for (var round = 0; round < 20; round++)
        {
            string Next(string parent, string label)
            {
                var date = (random.Next(2) == 0 ? 1_000_000_000 : 1_800_000_000) + random.Next(1000);

                // Side commits' committer lines may be odd: git and libgit2 must still date them alike.
                var committer = label.StartsWith('n') ? $"A <a@b> {date} +0000" : random.Next(8) switch
                {
                    0 => $"A <a@b> {date}",
                    1 => "A <a@b>",
                    2 => $"A <a@b> {date} +0000 trailing",
                    3 => $"A <a@b> 0{date} +0100",
                    _ => $"A <a@b> {date} +0000",
                };
                return CommitObject(tree, parent, $"author A <a@b> {date} +0000\ncommitter {committer}\n", $"{label} {round}\n");
            }

            // Now and then a merge on a side branch: excluded history need not be a line.
            string Merge(string parent, string other, string label) =>
                CommitObject(tree, $"{parent}\nparent {other}", $"author A <a@b> 1500000000 +0000\ncommitter A <a@b> {1_000_000_000 + random.Next(1000)} +0000\n", $"{label} {round}\n");

            var line = new List<string> { before };
            for (var i = 0; i < 4; i++)
            {
                line.Add(Next(line[^1], $"n{i}"));
            }

            var excluded = new List<string> { before };
            for (var s = random.Next(0, 3); s > 0; s--)
            {
                var side = line[random.Next(line.Count - 1)];
                for (var k = random.Next(0, 14); k > 0; k--)
                {
                    side = random.Next(8) == 0 ? Merge(side, line[random.Next(line.Count)], $"merge {s} {k}") : Next(side, $"side {s} {k}");
                }

                // Refs to annotated tags are excluded by the tag's id: git peels them later than commits.
                excluded.Add(random.Next(3) == 0 ? Craft("tag", Encoding.UTF8.GetBytes($"object {side}\ntype commit\ntag t{round}{s}\ntagger {Ident}\n\ntag\n")) : side);
            }

            var shuffled = excluded.OrderBy(_ => random.Next()).ToList();
            answered += await SameAsGitLogAsync(line[^1], before, [.. shuffled]) ? 1 : 0;
            var from = line[random.Next(1, line.Count - 1)];
            answered += await SameAsGitLogAsync(line[^1], from, [from, .. shuffled]) ? 1 : 0;
            await WalkListsAsGitAsync(line[^1], [.. shuffled]);
            await WalkListsAsGitAsync(line[^1], [.. shuffled.Where(e => e != before)]);
        }

        Assert.True(answered > 10, $"only {answered} of 40 read in-process");
    }

    /// <summary>A tree entry naming a blob the repository does not have: git lists it without reading it.</summary>
    [Fact]
    public async Task EntryForMissingBlob_SameAsGitLog()
    {
        var before = Head();
        var missing = "0123456789abcdef0123456789abcdef01234567";
        var id = CommitObject(TreeOf(("100644", "gone", missing), ("100644", "here", Blob("x\n"))), before, $"author {Ident}\ncommitter {Ident}\n", "missing blob\n");
        await SameAsGitLogAsync(id, before, [before]);
        var next = CommitObject(TreeOf(("100755", "gone", missing)), id, $"author {Ident}\ncommitter {Ident}\n", "mode of a missing blob\n");
        await SameAsGitLogAsync(next, before, [before]);
    }

    /// <summary>The mirrored walk lists exactly git's commits, also where libgit2's walk does not.</summary>
    private async Task WalkListsAsGitAsync(string tip, string[] excluded)
    {
        var git = await new CommitLog(sandbox.Runner, gitDirectory, inProcess: false).ListAsync(tip, tip, excluded, Caps, CancellationToken.None);
        using var repository = new LibGit2Sharp.Repository(gitDirectory);
        if (LimitedWalk.Listed(repository, tip, excluded) is { } listed)
        {
            Assert.Equal(git.Commits.Select(c => c.Hash).Order(), listed.Order());
        }
    }

    private string Head() => sandbox.RevParse(work, "HEAD");

    private string Tree(string commit) => sandbox.RevParse(work, $"{commit}^{{tree}}");

    private string Blob(string content) => Craft("blob", Encoding.UTF8.GetBytes(content));

    private string CommitObject(string tree, string parent, string idents, string message) =>
        CommitObject(tree, parent, Encoding.UTF8.GetBytes(idents), Encoding.UTF8.GetBytes(message));

    private string CommitObject(string tree, string parent, byte[] idents, byte[] message) =>
        Craft("commit", Join(Encoding.UTF8.GetBytes($"tree {tree}\nparent {parent}\n"), idents, "\n"u8.ToArray(), message));

    private string TreeOf(params (string Mode, string Name, string Id)[] entries) =>
        RawTree([.. entries.Select(e => (e.Mode, Encoding.UTF8.GetBytes(e.Name), e.Id))]);

    /// <summary>A tree object with its entries exactly in the order given (git's own tools would sort them).</summary>
    private string RawTree(params (string Mode, byte[] Name, string Id)[] entries) =>
        Craft("tree", Join([.. entries.Select(e => Join(Encoding.ASCII.GetBytes(e.Mode + " "), e.Name, [0], Convert.FromHexString(e.Id)))]));

    private string RandomTree(Random random, string[] blobs, string[] names, int depth, bool sorted)
    {
        var entries = new List<(string Mode, string Name, string Id)>();
        foreach (var name in names.Where(n => !n.Contains('/')))
        {
            var kind = random.Next(depth > 0 ? 6 : 5);
            if (kind == 0)
            {
                continue;
            }

            entries.Add(kind switch
            {
                1 or 2 => ("100644", name, blobs[random.Next(blobs.Length)]),
                3 => ("100755", name, blobs[random.Next(blobs.Length)]),
                4 => ("120000", name, blobs[random.Next(blobs.Length)]),
                _ => ("40000", name, RandomTree(random, blobs, names, depth - 1, sorted)),
            });
            if (!sorted && random.Next(6) == 0)
            {
                entries.Add(("100644", name, blobs[random.Next(blobs.Length)]));
            }
        }

        entries = sorted
            ? [.. entries.OrderBy(e => e.Mode == "40000" ? e.Name + "/" : e.Name, StringComparer.Ordinal)]
            : [.. entries.OrderBy(_ => random.Next())];
        return TreeOf([.. entries]);
    }

    private string Craft(string type, byte[] body)
    {
        var file = sandbox.PathOf($"object-{crafted++}");
        File.WriteAllBytes(file, body);
        return sandbox.Git(work, $"hash-object -t {type} -w --literally {file}").Stdout.Trim();
    }

    private static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Whether the in-process read answered; when it did, its listing is git log's, field for field.</summary>
    private async Task<bool> SameAsGitLogAsync(string tip, string oldTip, string[] excluded, CommitCaps? caps = null)
    {
        CommitListing git;
        try
        {
            git = await new CommitLog(sandbox.Runner, gitDirectory, inProcess: false).ListAsync(tip, oldTip, excluded, caps ?? Caps, CancellationToken.None);
        }
        catch (Posthorn.Git.Processes.GitCommandException)
        {
            // Where git log fails, the in-process read must not answer in its place.
            Assert.Null(InProcessLog.TryList(gitDirectory, tip, oldTip, excluded, caps ?? Caps));
            return false;
        }

        var fast = InProcessLog.TryList(gitDirectory, tip, oldTip, excluded, caps ?? Caps);
        if (fast is not null)
        {
            Assert.Equal(InProcessLogTests.Describe(git), InProcessLogTests.Describe(fast));
        }

        return fast is not null;
    }
}
