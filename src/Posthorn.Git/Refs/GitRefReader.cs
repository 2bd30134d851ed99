using System.Text;
using Microsoft.Extensions.Logging;
using Posthorn.Core.Pushes;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Refs;

/// <summary>
/// A git repository's refs, as for-each-ref reports them: read in-process from the files backend
/// (<see cref="FilesBackendRefs"/>, the same answer without a process), or with for-each-ref itself
/// whenever that reader is not certain. Comparing them before and after receive-pack
/// (and with the recorded refs) is how Posthorn learns what moved: only updates git really applied
/// show up, and nothing depends on parsing the pack or the report-status text. Pull-request refs
/// (refs/pull/{id}/head) are left out: Posthorn moves them itself to follow a source branch, they are
/// no one's push, and clients cannot push them (receive.hideRefs), so they are never announced.
/// Refs whose names cannot be recorded exactly (<see cref="RefName.WhyNotStorable"/>: bytes that are
/// not UTF-8, made on the disk behind Posthorn's back, since pushes of them are refused) are left out
/// too, with a warning each time they are read: decoded with replacement characters, two such
/// names would read as one. Thread-safe.
/// </summary>
public sealed class GitRefReader(GitRunner runner, ILogger<GitRefReader> logger) : IRefReader
{
    /// <summary>The namespace of the refs Posthorn keeps for pull requests.</summary>
    public const string PullRequestRefs = "refs/pull/";

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string directory, CancellationToken ct) =>
        WithoutPullRequestRefs(FilesBackendRefs.TryRead(directory) ?? await ReadWithGitAsync(directory, ct).ConfigureAwait(false));

    /// <summary>All refs as <c>git for-each-ref</c> prints them (pull-request refs included), but those whose names cannot be recorded.</summary>
    private async Task<IReadOnlyDictionary<string, string>> ReadWithGitAsync(string directory, CancellationToken ct)
    {
        // Ref names cannot contain spaces or newlines (git-check-ref-format), so "id name" lines are unambiguous.
        var output = await runner.ReadBytesAsync(
            new GitInvocation(["for-each-ref", "--format=%(objectname) %(refname)"]) { WorkingDirectory = directory, Environment = GitEnvironment.ForRepository(directory) },
            ct).ConfigureAwait(false);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var range in output.AsSpan().Split((byte)'\n'))
        {
            var line = output.AsSpan(range);
            var space = line.IndexOf((byte)' ');
            if (space < 0)
            {
                continue;
            }

            var name = line[(space + 1)..];
            if (RefName.WhyNotStorable(name) is { } why)
            {
                RefsLog.Unstorable(logger, RefName.Shown(name), why, directory);
                continue;
            }

            refs[Encoding.UTF8.GetString(name)] = Encoding.ASCII.GetString(line[..space]);
        }

        return refs;
    }

    private static Dictionary<string, string> WithoutPullRequestRefs(IReadOnlyDictionary<string, string> all) =>
        all.Where(r => !r.Key.StartsWith(PullRequestRefs, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);

    public async Task<IReadOnlyCollection<string>> ExistingAsync(string directory, IReadOnlyCollection<string> objectIds, CancellationToken ct)
    {
        if (objectIds.Count == 0)
        {
            return [];
        }

        // cat-file --batch-check answers "<id> <type> <size>" for objects it has and "<id> missing" otherwise.
        var text = await runner.ReadTextAsync(
            new GitInvocation(["cat-file", "--batch-check=%(objectname)"])
            {
                WorkingDirectory = directory,
                Environment = GitEnvironment.ForRepository(directory),
                Stdin = GitOutput.Lines(objectIds),
            },
            ct).ConfigureAwait(false);
        return text
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.EndsWith(" missing", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
    }
}
