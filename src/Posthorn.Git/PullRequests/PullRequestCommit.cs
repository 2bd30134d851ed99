namespace Posthorn.Git.PullRequests;

/// <summary>One commit of a pull request: its id, author name, author date and subject line.</summary>
public sealed record PullRequestCommit(string Hash, string Author, DateTimeOffset Date, string Subject);
