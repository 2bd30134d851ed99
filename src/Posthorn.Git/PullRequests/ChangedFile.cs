namespace Posthorn.Git.PullRequests;

/// <summary>One file a pull request changes, with added and removed line counts (0 and 0 for a binary file).</summary>
public sealed record ChangedFile(string Path, int Added, int Removed, bool Binary);
