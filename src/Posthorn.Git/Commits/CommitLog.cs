using System.Globalization;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Commits;

/// <summary>
/// Lists and counts the commits reachable from one tip but from none of a set of excluded tips,
/// streaming git's output. Exclusions go through <c>--stdin</c> ("^id" lines): a repository can
/// have thousands of refs, more than a command line holds. A straight line of new commits is read
/// in-process (<see cref="InProcessLog"/>) when that gives exactly git's answer; <paramref name="inProcess"/>
/// false always asks git (the tests compare the two).
/// </summary>
internal sealed class CommitLog(GitRunner runner, string gitDirectory, bool inProcess = true)
{
    // Each record starts with \x01 so it can never be mistaken for a name-status entry; %B is the
    // raw message exactly as `git cat-file commit` stores it, trailing newline included. %at and
    // %ad with --date=raw give the author date as stored: git's own formats (%ai) die on zones
    // such as +99999999 ("Timestamp+tz too large") that it otherwise accepts; %ct/%cd likewise for
    // the committer. The tree and committer come from the same run, so the GitHub format costs no
    // process per commit. git reads a commit as a C string, so no field it prints here can hold a
    // NUL and shift the tokens.
    private const string Format = "--format=%x01%H%x00%P%x00%an%x00%ae%x00%at%x00%ad%x00%T%x00%cn%x00%ce%x00%ct%x00%cd%x00%B%x00";

    public async Task<int> CountAsync(string tip, IEnumerable<string> excluded, CancellationToken ct)
    {
        var text = await runner.ReadTextAsync(Invocation(["rev-list", "--count", "--stdin"], tip, excluded), ct).ConfigureAwait(false);
        return int.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The newest <c>caps.Limit</c> new commits, oldest first (topological), each with at most
    /// <c>caps.MaxFiles</c> files and a message cut to <c>caps.MaxMessageBytes</c>. The oldest are
    /// dropped as soon as the newer ones' text alone reaches <c>caps.KeepBytes</c>:
    /// they could never fit in the document, so memory stays within the caps whatever the push holds.
    /// </summary>
    public async Task<CommitListing> ListAsync(
        string tip, string oldTip, IEnumerable<string> excluded, CommitCaps caps, CancellationToken ct)
    {
        if (inProcess && InProcessLog.TryList(gitDirectory, tip, oldTip, excluded, caps) is { } listing)
        {
            return listing;
        }

        // --max-count picks the newest commits before --reverse turns them oldest first.
        // --diff-merges=first-parent lists a merge's files against its first parent; --root
        // lists a root commit's files as added; -z leaves paths unquoted and byte-exact.
        string[] arguments =
        [
            "-c", "log.showSignature=false", "log", "--stdin", "--topo-order", "--reverse", $"--max-count={caps.Limit}", "--root",
            "-z", "--no-color", "--no-notes", "--no-ext-diff", "--no-renames", "--name-status", "--diff-merges=first-parent", "--date=raw", Format,
        ];
        var kept = new KeptCommits(caps.KeepBytes, oldTip);
        var result = await runner.RunAsync(
            Invocation(arguments, tip, excluded) with { Stdout = (stdout, token) => ParseAsync(new NulTokenReader(stdout), kept, caps, token) },
            ct).ConfigureAwait(false);
        return result.Succeeded ? kept.ToListing() : throw new GitCommandException("log", result);
    }

    private GitInvocation Invocation(string[] arguments, string tip, IEnumerable<string> excluded) =>
        new(arguments)
        {
            WorkingDirectory = gitDirectory,
            Environment = GitEnvironment.ForRepository(gitDirectory),
            Stdin = GitOutput.Lines(excluded.Select(id => "^" + id).Prepend(tip)),
        };

    private static async Task ParseAsync(NulTokenReader reader, KeptCommits kept, CommitCaps caps, CancellationToken ct)
    {
        var next = await reader.ReadAsync(ct).ConfigureAwait(false);
        while (next is not null)
        {
            if (!next.StartsWith('\x01'))
            {
                throw new InvalidDataException("Unexpected git log output.");
            }

            var fields = new string[LoggedCommit.FieldCount];
            fields[0] = next[1..];
            for (var i = 1; i < fields.Length - 1; i++)
            {
                fields[i] = await reader.ReadAsync(ct).ConfigureAwait(false) ?? "";
            }

            // The message is cut while it streams: the rest of it is skipped, never held.
            var message = await reader.ReadAsync(caps.MaxMessageBytes, ct).ConfigureAwait(false);
            fields[^1] = message?.Text ?? "";
            var commit = LoggedCommit.FromFields(fields, message?.Truncated ?? false);
            while ((next = await reader.ReadAsync(ct).ConfigureAwait(false)) is not null && !next.StartsWith('\x01'))
            {
                // The diff follows the header after an empty token and a newline: "\nM", "path", "A", "path"...
                var status = next.TrimStart('\n');
                if (status.Length == 0)
                {
                    continue;
                }

                var path = await reader.ReadAsync(ct).ConfigureAwait(false) ?? "";
                commit.AddFile(status[0], path, caps.MaxFiles);
            }

            kept.Add(commit);
        }
    }
}
