namespace Posthorn.Git.Commits;

/// <summary>One token of git's -z output, decoded; <see cref="Truncated"/> when the stream held more than the cap.</summary>
internal readonly record struct NulToken(string Text, bool Truncated);
