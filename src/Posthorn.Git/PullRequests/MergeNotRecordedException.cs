namespace Posthorn.Git.PullRequests;

/// <summary>The merge could not be recorded as a push, so the destination was put back; nothing happened, try again.</summary>
public sealed class MergeNotRecordedException(string message, Exception inner) : Exception(message, inner);
