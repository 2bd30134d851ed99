namespace Posthorn.Git.Commits;

/// <summary>
/// Bounds for one git log run: most commits listed, files per commit, message bytes, and the text
/// bytes past which older commits are dropped (they could not fit in the document).
/// </summary>
internal sealed record CommitCaps(int Limit, int MaxFiles, int MaxMessageBytes, long KeepBytes);
