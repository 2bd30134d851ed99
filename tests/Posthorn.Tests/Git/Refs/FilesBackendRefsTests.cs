using Posthorn.Git.Refs;

namespace Posthorn.Tests.Git.Refs;

/// <summary>
/// The in-process ref reader against the real git: in every state a repository can be put in, it
/// either gives exactly for-each-ref's answer or gives way (null), and <see cref="GitRefReader"/>
/// then still gives for-each-ref's answer. The cases that must not give way are asserted too, so a
/// reader that always fell back would fail here.
/// </summary>
public sealed class FilesBackendRefsTests : IDisposable
{
    private readonly GitSandbox sandbox = new();
    private readonly string work;
    private readonly string bare;

    public FilesBackendRefsTests()
    {
        work = sandbox.NewWorkTree("work", "a.txt", "b.txt", "c.txt");
        bare = sandbox.PathOf("bare.git");
        sandbox.Git(sandbox.Root, $"clone -q --bare {work} {bare}");
    }

    public void Dispose() => sandbox.Dispose();

    [Fact]
    public void LooseRefs_NestedNamesAndTags_SameAsForEachRef()
    {
        sandbox.Git(bare, "branch feature/deep/name HEAD~1");
        sandbox.Git(bare, "tag light HEAD~2");
        sandbox.Git(bare, "tag -a -m annotated annotated HEAD~1");
        sandbox.Git(bare, "update-ref refs/odd/one-level+name@x HEAD");

        AssertInProcess();
    }

    [Fact]
    public void PackedRefs_LooseOverridesPacked_SameAsForEachRef()
    {
        sandbox.Git(bare, "tag -a -m annotated annotated HEAD~1");
        sandbox.Git(bare, "branch old HEAD~2");
        sandbox.Git(bare, "pack-refs --all");
        sandbox.Git(bare, "update-ref refs/heads/old HEAD");
        sandbox.Git(bare, "branch new HEAD~1");

        Assert.Contains("^", File.ReadAllText(Path.Combine(bare, "packed-refs")));
        Assert.True(File.Exists(Path.Combine(bare, "refs", "heads", "old")));
        AssertInProcess();
    }

    [Fact]
    public void DeletedRefs_PackedAndLoose_SameAsForEachRef()
    {
        sandbox.Git(bare, "branch packed-gone HEAD~1");
        sandbox.Git(bare, "tag packed-tag HEAD~1");
        sandbox.Git(bare, "pack-refs --all");
        sandbox.Git(bare, "branch loose-gone HEAD~2");
        sandbox.Git(bare, "update-ref -d refs/heads/packed-gone");
        sandbox.Git(bare, "update-ref -d refs/heads/loose-gone");
        sandbox.Git(bare, "tag -d packed-tag");

        AssertInProcess();
    }

    [Fact]
    public void AfterGc_ObjectsOnlyInPacks_SameAsForEachRef()
    {
        sandbox.Git(bare, "branch side HEAD~1");
        sandbox.Git(bare, "gc -q --prune=now");
        sandbox.Git(bare, "branch loose-after-gc HEAD~2");

        Assert.Empty(Directory.GetDirectories(Path.Combine(bare, "objects")).Where(d => Path.GetFileName(d).Length == 2).SelectMany(Directory.GetFiles));
        AssertInProcess();
    }

    [Fact]
    public void SymbolicRefs_ToLooseAndPackedTargets_ShowTheTargetsId()
    {
        sandbox.Git(bare, "update-ref refs/remotes/origin/main HEAD~1");
        sandbox.Git(bare, "update-ref refs/remotes/origin/packed HEAD~2");
        sandbox.Git(bare, "pack-refs --all");
        sandbox.Git(bare, "update-ref refs/remotes/origin/main HEAD");
        sandbox.Git(bare, "symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main");
        sandbox.Git(bare, "symbolic-ref refs/remotes/origin/to-packed refs/remotes/origin/packed");
        sandbox.Git(bare, "symbolic-ref refs/remotes/origin/chain refs/remotes/origin/HEAD");

        AssertInProcess();
    }

    [Fact]
    public void LockFiles_BesideRefsAndPackedRefs_AreSkippedAsGitSkipsThem()
    {
        sandbox.Git(bare, "branch locked HEAD~1");
        File.WriteAllText(Path.Combine(bare, "refs", "heads", "locked.lock"), "half-written");
        File.WriteAllText(Path.Combine(bare, "refs", "heads", "new-ref.lock"), sandbox.RevParse(bare, "HEAD") + "\n");
        File.WriteAllText(Path.Combine(bare, "packed-refs.lock"), "garbage");

        AssertInProcess();
    }

    [Fact]
    public void DanglingSymbolicRef_GivesWayToGit()
    {
        sandbox.Git(bare, "symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/nothing");

        AssertGivesWay();
    }

    [Fact]
    public void SymbolicRefLoop_GivesWayToGit()
    {
        File.WriteAllText(Path.Combine(bare, "refs", "heads", "ping"), "ref: refs/heads/pong\n");
        File.WriteAllText(Path.Combine(bare, "refs", "heads", "pong"), "ref: refs/heads/ping\n");

        AssertGivesWay();
    }

    [Fact]
    public void RefToMissingObject_GivesWayToGit()
    {
        // git ≥ 2.34 lists such a ref (GIT_REF_PARANOIA on by default), older git leaves it out: git decides.
        File.WriteAllText(Path.Combine(bare, "refs", "heads", "broken"), new string('e', 40) + "\n");

        AssertGivesWay();
    }

    [Fact]
    public void NamesNotInUtf8_AreLeftOut_NeverMergedIntoOneName()
    {
        // git takes any byte from 0x80 in a name: Latin-1 "cafè" and "café" are two refs, neither of them
        // UTF-8. Decoded with replacement characters both would read as one name, pointing at either.
        var head = sandbox.RevParse(bare, "HEAD");
        var older = sandbox.RevParse(bare, "HEAD~1");
        sandbox.Git(bare, "update-ref --stdin", stdin: $"create \"refs/heads/caf\\350\" {head}\ncreate \"refs/heads/caf\\351\" {older}\n");
        sandbox.Git(bare, "update-ref refs/heads/café HEAD~2");

        Assert.Null(FilesBackendRefs.TryRead(bare));
        var refs = Read(bare);
        Assert.DoesNotContain(refs.Keys, name => name.StartsWith("refs/heads/caf", StringComparison.Ordinal) && name != "refs/heads/café");
        Assert.Equal(sandbox.RevParse(bare, "HEAD~2"), refs["refs/heads/café"]);
        Assert.Equal(head, refs["refs/heads/main"]);
    }

    [Fact]
    public void ManyRefs_GivesWayToGit()
    {
        var head = sandbox.RevParse(bare, "HEAD");
        sandbox.Git(bare, "update-ref --stdin", stdin: string.Concat(Enumerable.Range(0, 300).Select(i => $"create refs/tags/t{i} {head}\n")));

        AssertGivesWay();
    }

    [Theory]
    [InlineData("not an object id\n")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF01\n")]
    [InlineData("")]
    public void MalformedLooseRef_GivesWayToGit(string content)
    {
        File.WriteAllText(Path.Combine(bare, "refs", "heads", "odd"), content);

        AssertGivesWay();
    }

    [Fact]
    public void MalformedPackedRefs_GivesWayToGit()
    {
        sandbox.Git(bare, "pack-refs --all");
        File.AppendAllText(Path.Combine(bare, "packed-refs"), "something git never writes\n");

        Assert.Null(FilesBackendRefs.TryRead(bare));
    }

    [Fact]
    public void ConfigWithExtensions_GivesWayToGit()
    {
        sandbox.Git(bare, "config extensions.worktreeConfig true");

        AssertGivesWay();
    }

    [Fact]
    public void Sha256Repository_GivesWayToGit()
    {
        var other = sandbox.PathOf("sha256.git");
        sandbox.Git(sandbox.Root, $"init -q --bare --object-format=sha256 {other}");

        Assert.Null(FilesBackendRefs.TryRead(other));
    }

    [Fact]
    public void ObjectsOnlyInAnAlternate_GivesWayToGit()
    {
        var borrower = sandbox.PathOf("borrower.git");
        sandbox.Git(sandbox.Root, $"clone -q --bare --shared {bare} {borrower}");

        Assert.Null(FilesBackendRefs.TryRead(borrower));
        Assert.Equal(Lines(ForEachRef(borrower)), Lines(Read(borrower)));
    }

    [Fact]
    public void ManyChanges_EveryStateOnTheWay_SameAsForEachRef()
    {
        var random = new Random(16);
        var commits = new[] { "HEAD", "HEAD~1", "HEAD~2" };
        for (var step = 0; step < 40; step++)
        {
            var name = $"refs/{(random.Next(2) == 0 ? "heads" : "tags")}/r{random.Next(8)}";
            switch (random.Next(5))
            {
                case 0:
                    sandbox.Git(bare, "pack-refs --all");
                    break;
                case 1:
                    sandbox.Git(bare, $"update-ref -d {name}", allowFailure: true);
                    break;
                default:
                    sandbox.Git(bare, $"update-ref {name} {commits[random.Next(commits.Length)]}");
                    break;
            }

            Assert.Equal(Lines(ForEachRef()), Lines(FilesBackendRefs.TryRead(bare)));
        }
    }

    private void AssertInProcess()
    {
        var expected = ForEachRef();
        Assert.NotEmpty(expected);
        Assert.Equal(Lines(expected), Lines(FilesBackendRefs.TryRead(bare)));
    }

    private void AssertGivesWay()
    {
        Assert.Null(FilesBackendRefs.TryRead(bare));
        Assert.Equal(Lines(ForEachRef()), Lines(Read(bare)));
    }

    /// <summary>"id name" lines in name order (dictionaries enumerate in no particular order); null stays null.</summary>
    private static List<string>? Lines(IReadOnlyDictionary<string, string>? refs) =>
        refs?.Select(r => $"{r.Value} {r.Key}").Order(StringComparer.Ordinal).ToList();

    private Dictionary<string, string> ForEachRef(string? directory = null) =>
        sandbox.Git(directory ?? bare, "for-each-ref \"--format=%(objectname) %(refname)\"", allowFailure: true).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l[41..], l => l[..40], StringComparer.Ordinal);

    private IReadOnlyDictionary<string, string> Read(string directory) =>
        new GitRefReader(sandbox.Runner, Microsoft.Extensions.Logging.Abstractions.NullLogger<GitRefReader>.Instance).ReadAsync(directory, CancellationToken.None).GetAwaiter().GetResult();
}
