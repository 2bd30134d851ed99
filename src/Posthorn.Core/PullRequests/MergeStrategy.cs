namespace Posthorn.Core.PullRequests;

/// <summary>How Posthorn merges a pull request; the wire names are "merge_commit", "squash", "fast_forward".</summary>
public enum MergeStrategy
{
    /// <summary>A merge commit whose parents are the destination tip and the source tip.</summary>
    MergeCommit = 0,

    /// <summary>One new commit on the destination with the merged tree; the source commits are not kept.</summary>
    Squash = 1,

    /// <summary>The destination moves to the source tip; refused when the destination is not an ancestor of it.</summary>
    FastForward = 2,
}
