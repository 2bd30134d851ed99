namespace Posthorn.Git.PullRequests;

/// <summary>
/// What merging two tips would give: the new destination tip, or the paths that conflict (then
/// <see cref="Commit"/> is null). A fast-forward that is not possible has neither.
/// </summary>
public sealed record MergeOutcome(string? Commit, IReadOnlyList<string> Conflicts)
{
    public bool CanFastForward { get; init; } = true;
}
