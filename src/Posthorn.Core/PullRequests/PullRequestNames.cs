namespace Posthorn.Core.PullRequests;

/// <summary>The wire names of <see cref="PullRequestState"/> and <see cref="MergeStrategy"/>, in one place.</summary>
public static class PullRequestNames
{
    public static string ToName(this PullRequestState state) => state switch
    {
        PullRequestState.Open => "OPEN",
        PullRequestState.Merged => "MERGED",
        _ => "DECLINED",
    };

    public static bool TryParseState(string? name, out PullRequestState state)
    {
        state = (name ?? "").ToUpperInvariant() switch
        {
            "OPEN" => PullRequestState.Open,
            "MERGED" => PullRequestState.Merged,
            "DECLINED" => PullRequestState.Declined,
            _ => (PullRequestState)(-1),
        };
        return Enum.IsDefined(state);
    }

    public static string ToName(this MergeStrategy strategy) => strategy switch
    {
        MergeStrategy.Squash => "squash",
        MergeStrategy.FastForward => "fast_forward",
        _ => "merge_commit",
    };

    /// <summary>null or "" means the default, merge_commit.</summary>
    public static bool TryParseStrategy(string? name, out MergeStrategy strategy)
    {
        strategy = (name ?? "") switch
        {
            "" or "merge_commit" => MergeStrategy.MergeCommit,
            "squash" => MergeStrategy.Squash,
            "fast_forward" => MergeStrategy.FastForward,
            _ => (MergeStrategy)(-1),
        };
        return Enum.IsDefined(strategy);
    }
}
