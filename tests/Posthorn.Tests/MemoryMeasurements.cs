namespace Posthorn.Tests;

/// <summary>
/// Tests that measure process-wide memory (GC heap, allocated bytes) run in this collection, alone:
/// any test running beside them would count its own allocations against their bounds.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    public const string Name = "Memory measurements";
}
