namespace Posthorn.Git.Commits;

/// <summary>
/// What one git log run found: the commits kept (oldest first), how many it listed before the
/// oldest that could not fit were dropped, and whether any listed commit has the old tip as a parent.
/// </summary>
internal sealed record CommitListing(IReadOnlyList<LoggedCommit> Commits, int Listed, bool ExtendsOldTip);
