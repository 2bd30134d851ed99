namespace Posthorn.Cli;

/// <summary>The command was called wrongly (exit 2), as opposed to failing while doing its work (exit 1).</summary>
public sealed class UsageException(string message) : Exception(message);
