using System.Globalization;
using Posthorn.Core.PullRequests;
using Posthorn.Git.Processes;

namespace Posthorn.Git.PullRequests;

/// <summary>
/// What a pull request changes, read from git for its page: the commits the source has and the
/// destination lacks, each changed file with its added/removed line counts, the diff (capped), and
/// for an open one whether it merges cleanly. An open pull request is compared with the destination's
/// current tip; a closed one with the tip it was merged into (or had when declined). Thread-safe.
/// </summary>
public sealed class PullRequestChanges(GitRunner runner, MergeEngine engine, BranchTips refs)
{
    /// <summary>Diffs longer than this are cut (the page says so); the file list stays complete.</summary>
    public const int MaxDiffChars = 512 * 1024;

    public const int MaxCommits = 250;

    public async Task<PullRequestChangeSet> ReadAsync(string directory, PullRequest pullRequest, CancellationToken ct)
    {
        var destination = pullRequest.DestinationCommit;
        IReadOnlyList<string> conflicts = [];
        if (pullRequest.State == PullRequestState.Open)
        {
            destination = await refs.TipAsync(directory, Branches.RefOf(pullRequest.DestinationBranch), ct).ConfigureAwait(false) ?? destination;
            conflicts = await engine.ConflictsAsync(directory, destination, pullRequest.SourceCommit, ct).ConfigureAwait(false);
        }

        var source = pullRequest.SourceCommit;
        var commits = await CommitsAsync(directory, destination, source, ct).ConfigureAwait(false);
        var files = await FilesAsync(directory, destination, source, ct).ConfigureAwait(false);
        var diff = await runner.ReadTextAsync(Git(directory, "diff", "--no-color", "--no-renames", $"{destination}...{source}"), ct).ConfigureAwait(false);
        var truncated = diff.Length > MaxDiffChars;
        return new PullRequestChangeSet(commits, files, truncated ? diff[..MaxDiffChars] : diff, truncated, conflicts);
    }

    private async Task<IReadOnlyList<PullRequestCommit>> CommitsAsync(string directory, string destination, string source, CancellationToken ct)
    {
        // NUL-separated fields, records ended by a NUL too (-z): subjects cannot contain NUL.
        var text = await runner.ReadTextAsync(
            Git(directory, "log", "-z", $"--max-count={MaxCommits}", "--format=%H%x00%an%x00%aI%x00%s", $"{destination}..{source}"), ct).ConfigureAwait(false);
        var fields = text.Split('\0');
        var commits = new List<PullRequestCommit>();
        for (var i = 0; i + 3 < fields.Length; i += 4)
        {
            commits.Add(new PullRequestCommit(fields[i].Trim('\n'), fields[i + 1], DateTimeOffset.Parse(fields[i + 2], CultureInfo.InvariantCulture), fields[i + 3]));
        }

        return commits;
    }

    private async Task<IReadOnlyList<ChangedFile>> FilesAsync(string directory, string destination, string source, CancellationToken ct)
    {
        // git-diff(1) --numstat -z without renames: "added<TAB>removed<TAB>path<NUL>"; binary files count "-".
        var text = await runner.ReadTextAsync(Git(directory, "diff", "--numstat", "-z", "--no-renames", $"{destination}...{source}"), ct).ConfigureAwait(false);
        var files = new List<ChangedFile>();
        foreach (var entry in text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('\t', 3);
            if (parts.Length == 3)
            {
                var binary = parts[0] == "-";
                files.Add(new ChangedFile(parts[2], binary ? 0 : int.Parse(parts[0], CultureInfo.InvariantCulture), binary ? 0 : int.Parse(parts[1], CultureInfo.InvariantCulture), binary));
            }
        }

        return files;
    }

    private static GitInvocation Git(string directory, params string[] arguments) =>
        new(arguments) { WorkingDirectory = directory, Environment = GitEnvironment.ForRepository(directory) };
}
