namespace Posthorn.Git.Processes;

/// <summary>How a git process ended. <see cref="StderrTail"/> is the last few KiB of its standard error, for logs only.</summary>
public sealed record GitResult(int ExitCode, string StderrTail)
{
    public bool Succeeded => ExitCode == 0;
}
