using Posthorn.Core.Pushes;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Refs;

/// <summary>
/// Keeps HEAD pointing at a branch that exists. A new repository's HEAD names "main"; when someone
/// pushes only, say, "master" or "trunk", clones would otherwise check out nothing ("remote HEAD refers
/// to nonexistent ref"). So, as forges do, the first branch pushed to a repository whose HEAD is
/// dangling becomes its default branch. An existing default branch is never changed.
/// </summary>
public static class DefaultBranch
{
    public static async Task EnsureAsync(GitRunner runner, string gitDirectory, IReadOnlyList<RefUpdate> updates, IReadOnlyDictionary<string, string> after)
    {
        var head = Read(gitDirectory);
        if (head is null || after.ContainsKey(head))
        {
            return;
        }

        var created = updates.FirstOrDefault(u => u.IsBranch && !u.IsDelete);
        if (created is not null)
        {
            await runner.RunCheckedAsync(Invocation(gitDirectory, ["symbolic-ref", "HEAD", created.RefName]), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The ref HEAD names (e.g. refs/heads/main), or null when HEAD is detached or unreadable.</summary>
    public static string? Read(string gitDirectory)
    {
        // A symbolic HEAD is the one-line file "ref: <name>" (gitrepository-layout); reading it costs no process.
        var path = Path.Combine(gitDirectory, "HEAD");
        var text = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        return text.StartsWith("ref: ", StringComparison.Ordinal) ? text["ref: ".Length..] : null;
    }

    private static GitInvocation Invocation(string gitDirectory, string[] args) =>
        new(args) { WorkingDirectory = gitDirectory, Environment = GitEnvironment.ForRepository(gitDirectory) };
}
