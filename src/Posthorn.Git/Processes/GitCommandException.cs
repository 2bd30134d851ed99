namespace Posthorn.Git.Processes;

/// <summary>A git command that had to succeed did not. The message is for logs, never for HTTP responses.</summary>
public sealed class GitCommandException(string command, GitResult result)
    : Exception($"git {command} exited with {result.ExitCode}: {result.StderrTail}")
{
    public GitResult Result { get; } = result;
}
