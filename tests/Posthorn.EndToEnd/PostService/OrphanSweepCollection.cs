namespace Posthorn.EndToEnd.PostService;

/// <summary>
/// Tests that kill a server and leave its git processes behind run alone: every server that starts
/// sweeps the orphans of any dead server on the machine, so a server started by a test running beside
/// them ended their orphan first and logged it in its own log, not theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OrphanSweepCollection
{
    public const string Name = "Orphans of a killed server (runs alone)";
}
