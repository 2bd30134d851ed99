namespace Posthorn.Core.PullRequests;

/// <summary>The life of a pull request; the wire names are the upper-case forms ("OPEN", "MERGED", "DECLINED").</summary>
public enum PullRequestState
{
    Open = 0,
    Merged = 1,
    Declined = 2,
}
