namespace Posthorn.EndToEnd.Support;

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public ProcessResult EnsureSuccess(string what)
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        }

        return this;
    }
}
