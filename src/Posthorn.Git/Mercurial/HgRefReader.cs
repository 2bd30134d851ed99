using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Pushes;
using Posthorn.Git.Processes;
using Posthorn.Git.Refs;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// A Mercurial repository's refs as Posthorn records them: refs/heads/BRANCH → the named branch's
/// tipmost head (closed or not), refs/bookmarks/NAME, refs/tags/NAME (never the pseudo-tag tip).
/// Changesets are only ever appended, and a pushed changeset always becomes the tipmost head of its
/// branch, so every push that adds changesets moves at least one refs/heads/ ref.
/// Names Posthorn cannot record exactly (a control character such as NUL, or bytes that are not
/// UTF-8: RefName.WhyNotStorable) are left out by posthorn_hg.py, here as in its pretxnclose hook
/// and its push read, so the refs on disk and the recorded refs agree; each read logs a warning for them.
/// </summary>
public sealed class HgRefReader(GitRunner runner, IOptions<MercurialOptions> options, ILogger<HgRefReader> logger) : IRefReader
{
    private const string Skipped = "skipped ";

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string directory, CancellationToken ct)
    {
        var lines = await RunAsync("refs", directory, [], ct).ConfigureAwait(false);
        foreach (var line in lines.Where(l => l.StartsWith(Skipped, StringComparison.Ordinal)))
        {
            // "skipped NODE SHOWN<TAB>REASON": the name as shown has its control characters escaped, so no tab.
            var (name, reason) = line.Split(' ', 3) is [_, _, var rest] && rest.Split('\t') is [var shown, var why] ? (shown, why) : (line, "cannot be recorded");
            RefsLog.Unstorable(logger, name, reason, directory);
        }

        return StateOf(ParseLines(lines.Where(l => !l.StartsWith(Skipped, StringComparison.Ordinal))));
    }

    public async Task<IReadOnlyCollection<string>> ExistingAsync(string directory, IReadOnlyCollection<string> objectIds, CancellationToken ct) =>
        objectIds.Count == 0 ? [] : await RunAsync("existing", directory, objectIds, ct).ConfigureAwait(false);

    /// <summary>The ref state the hook reported (lines "0*40 NODE REF", as the listener parsed them).</summary>
    public static IReadOnlyDictionary<string, string> StateOf(IEnumerable<RefUpdate> reported) =>
        reported.ToDictionary(u => u.RefName, u => u.NewId, StringComparer.Ordinal);

    private static IEnumerable<RefUpdate> ParseLines(IEnumerable<string> lines) =>
        lines.Select(l => l.Split(' ', 3)).Where(p => p.Length == 3).Select(p => new RefUpdate(p[2], p[0], p[1]));

    private async Task<IReadOnlyList<string>> RunAsync(string mode, string directory, IEnumerable<string> arguments, CancellationToken ct)
    {
        var output = new MemoryStream();
        var result = await runner.RunAsync(
            HgScript.Invocation(options.Value, mode, directory, arguments) with { Stdout = (s, c) => s.CopyToAsync(output, c) }, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new GitCommandException("hg " + mode, result);
        }

        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
