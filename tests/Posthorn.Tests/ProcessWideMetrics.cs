namespace Posthorn.Tests;

/// <summary>
/// Tests that read exact counts from /metrics run in this collection, alone: the server's meters are
/// process-wide (one server per process in production), so a host of a test running beside them would
/// add its own pushes and deliveries to the counts they read.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetrics
{
    public const string Name = "Process-wide metrics";
}
