namespace Posthorn.Git.PullRequests;

/// <summary>A pull request's changes as <see cref="PullRequestChanges"/> read them; <see cref="Conflicts"/> is empty when it merges cleanly (or is closed).</summary>
public sealed record PullRequestChangeSet(
    IReadOnlyList<PullRequestCommit> Commits, IReadOnlyList<ChangedFile> Files, string Diff, bool DiffTruncated, IReadOnlyList<string> Conflicts)
{
    /// <summary>
    /// The two sides share no commit (a branch started with <c>--orphan</c>, or forced onto another
    /// history): the diff then compares their trees, and they cannot be merged.
    /// </summary>
    public bool Unrelated { get; init; }
}
