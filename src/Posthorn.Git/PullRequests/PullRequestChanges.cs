using System.Globalization;
using System.Text;
using Posthorn.Core.PullRequests;
using Posthorn.Git.Processes;

namespace Posthorn.Git.PullRequests;

/// <summary>
/// What a pull request changes, read from git for its page: the commits the source has and the
/// destination lacks, each changed file with its added/removed line counts, the diff (capped), and
/// for an open one whether it merges cleanly. An open pull request is compared with the destination's
/// current tip; a closed one with the tip it was merged into (or had when declined). The same reading
/// serves the commit and compare pages that payload links point at. Thread-safe.
/// </summary>
public sealed class PullRequestChanges(GitRunner runner, MergeEngine engine, BranchTips refs)
{
    /// <summary>Diffs longer than this are cut (the page says so); the file list stays complete.</summary>
    public const int MaxDiffChars = 512 * 1024;

    public const int MaxCommits = 250;

    public async Task<PullRequestChangeSet> ReadAsync(string directory, PullRequest pullRequest, CancellationToken ct)
    {
        var destination = pullRequest.DestinationCommit;
        if (pullRequest.State == PullRequestState.Open)
        {
            destination = await refs.TipAsync(directory, Branches.RefOf(pullRequest.DestinationBranch), ct).ConfigureAwait(false) ?? destination;
        }

        var changes = await BetweenAsync(directory, destination, pullRequest.SourceCommit, ct).ConfigureAwait(false);
        return pullRequest.State == PullRequestState.Open && !changes.Unrelated
            ? changes with { Conflicts = await engine.ConflictsAsync(directory, destination, pullRequest.SourceCommit, ct).ConfigureAwait(false) }
            : changes;
    }

    /// <summary>
    /// What <paramref name="to"/> has that <paramref name="from"/> lacks (two commit ids): its commits, and
    /// files and diff since their merge base; from <paramref name="from"/>'s tree when there is none.
    /// </summary>
    public async Task<PullRequestChangeSet> BetweenAsync(string directory, string from, string to, CancellationToken ct)
    {
        var related = await engine.ShareHistoryAsync(directory, from, to, ct).ConfigureAwait(false);
        var changes = await ReadAsync(directory, $"{from}..{to}", MaxCommits, ["diff", "--no-renames"], related ? $"{from}...{to}" : $"{from}..{to}", ct).ConfigureAwait(false);
        return changes with { Unrelated = !related };
    }

    /// <summary>One commit (an id) against its first parent; a root commit against nothing.</summary>
    public Task<PullRequestChangeSet> CommitAsync(string directory, string commit, CancellationToken ct) =>
        ReadAsync(directory, commit, 1, ["show", "--format=", "--diff-merges=first-parent", "--no-renames"], commit, ct);

    /// <param name="range">What git log lists (at most <paramref name="max"/>).</param>
    /// <param name="diff">The command and options that diff it, given <paramref name="diffRange"/> last.</param>
    private async Task<PullRequestChangeSet> ReadAsync(string directory, string range, int max, string[] diff, string diffRange, CancellationToken ct)
    {
        var commits = await CommitsAsync(directory, range, max, ct).ConfigureAwait(false);
        var files = await FilesAsync(directory, [.. diff, "--numstat", "-z", diffRange], ct).ConfigureAwait(false);
        var (text, truncated) = await ReadDiffAsync(Git(directory, [.. diff, "--no-color", diffRange]), ct).ConfigureAwait(false);
        return new PullRequestChangeSet(commits, files, text, truncated, []);
    }

    /// <summary>
    /// The diff up to <see cref="MaxDiffChars"/>: what is past it is never held, nor computed: git is
    /// stopped there (anyone who may read a public repository may ask to compare its first commit with its last).
    /// </summary>
    private async Task<(string Text, bool Truncated)> ReadDiffAsync(GitInvocation invocation, CancellationToken ct)
    {
        var text = new StringBuilder();
        var truncated = false;
        using var enough = CancellationTokenSource.CreateLinkedTokenSource(ct);
        GitResult result;
        try
        {
            result = await runner.RunAsync(
                invocation with
                {
                    Stdout = async (stdout, token) =>
                    {
                        using var reader = new StreamReader(stdout, Encoding.UTF8, leaveOpen: true);
                        var buffer = new char[16 * 1024];
                        int read;
                        while ((read = await reader.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
                        {
                            var room = MaxDiffChars - text.Length;
                            text.Append(buffer, 0, Math.Min(read, room));
                            if (read > room)
                            {
                                truncated = true;
                                await enough.CancelAsync().ConfigureAwait(false); // the runner kills git
                                return;
                            }
                        }
                    },
                },
                enough.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (truncated && !ct.IsCancellationRequested)
        {
            return (text.ToString(), true);
        }

        return result.Succeeded ? (text.ToString(), truncated) : throw new GitCommandException(invocation.Arguments[0], result);
    }

    private async Task<IReadOnlyList<PullRequestCommit>> CommitsAsync(string directory, string range, int max, CancellationToken ct)
    {
        // NUL-separated fields, records ended by a NUL too (-z): subjects cannot contain NUL.
        var text = await runner.ReadTextAsync(
            Git(directory, "log", "-z", $"--max-count={max}", "--format=%H%x00%an%x00%at%x00%s", range), ct).ConfigureAwait(false);
        var fields = text.Split('\0');
        var commits = new List<PullRequestCommit>();
        for (var i = 0; i + 3 < fields.Length; i += 4)
        {
            commits.Add(new PullRequestCommit(fields[i].Trim('\n'), fields[i + 1], DateOf(fields[i + 2]), fields[i + 3]));
        }

        return commits;
    }

    private async Task<IReadOnlyList<ChangedFile>> FilesAsync(string directory, string[] diff, CancellationToken ct)
    {
        // git-diff(1) --numstat -z without renames: "added<TAB>removed<TAB>path<NUL>"; binary files count "-".
        var text = await runner.ReadTextAsync(Git(directory, diff), ct).ConfigureAwait(false);
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

    /// <summary>Seconds since the epoch as git prints them, held to the calendar .NET has (git takes dates past year 9999 and before year 1).</summary>
    private static DateTimeOffset DateOf(string seconds) =>
        long.TryParse(seconds, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(s, DateTimeOffset.MinValue.ToUnixTimeSeconds(), DateTimeOffset.MaxValue.ToUnixTimeSeconds()))
            : DateTimeOffset.UnixEpoch;

    private static GitInvocation Git(string directory, params string[] arguments) =>
        new(arguments) { WorkingDirectory = directory, Environment = GitEnvironment.ForRepository(directory) };
}
