namespace Posthorn.Cli;

/// <summary>The command line's standard streams, passed in so tests and scripts see exactly what a terminal would.</summary>
public sealed record CliConsole(TextReader Input, TextWriter Output, TextWriter Error);
