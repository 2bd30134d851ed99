namespace Posthorn.Tests.Git.Mercurial;

public sealed record HgRun(int ExitCode, string Stdout, string Stderr);
