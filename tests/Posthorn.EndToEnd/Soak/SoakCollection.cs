namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// The soak keeps both cores busy with pushes, kills and retries: run alone, so neither it nor the
/// tests beside it are skewed, and no other test's server shares its moments of SIGKILL.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "Soak (runs alone)";
}
