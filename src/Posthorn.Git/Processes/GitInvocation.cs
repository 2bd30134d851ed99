namespace Posthorn.Git.Processes;

/// <summary>
/// One git command. <see cref="Stdin"/> writes the process's standard input (which is closed when
/// it returns, or at once when null); <see cref="Stdout"/> consumes standard output. Both run
/// concurrently with each other and with the stderr drain, because git interleaves reading and
/// writing: a runner that finishes stdin before reading stdout deadlocks once a pipe buffer fills.
/// </summary>
public sealed record GitInvocation(IReadOnlyList<string> Arguments)
{
    /// <summary>The program to run instead of git (Mercurial's hg or python), streamed the same way.</summary>
    public string? Program { get; init; }

    /// <summary>The directory git runs in (the bare repository for most commands).</summary>
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public Func<Stream, CancellationToken, Task>? Stdin { get; init; }

    public Func<Stream, CancellationToken, Task>? Stdout { get; init; }
}
