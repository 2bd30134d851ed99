namespace Posthorn.Git.PullRequests;

/// <summary>Pull requests name branches ("main"); refs are "refs/heads/main".</summary>
public static class Branches
{
    public const string Prefix = "refs/heads/";

    public static string RefOf(string branch) => Prefix + branch;
}
