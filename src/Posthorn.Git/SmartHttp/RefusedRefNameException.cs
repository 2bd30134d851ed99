namespace Posthorn.Git.SmartHttp;

/// <summary>A receive-pack request names a ref Posthorn cannot record exactly; git was stopped before it read all the commands.</summary>
internal sealed class RefusedRefNameException(ReceiveCommands commands)
    : Exception("A pushed ref name cannot be recorded exactly.")
{
    public ReceiveCommands Commands { get; } = commands;
}
