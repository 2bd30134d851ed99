namespace Posthorn.Cli;

/// <summary>The command line's exit codes, in one place: scripts depend on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
