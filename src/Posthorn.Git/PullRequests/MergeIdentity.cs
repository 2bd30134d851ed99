namespace Posthorn.Git.PullRequests;

/// <summary>Who merges: the author and committer of the commit Posthorn writes, and the pusher of the push it makes.</summary>
public sealed record MergeIdentity(string Username, string Email);
