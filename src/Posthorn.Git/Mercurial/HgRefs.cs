namespace Posthorn.Git.Mercurial;

/// <summary>How Mercurial's names become recorded refs (see <see cref="HgRefReader"/>).</summary>
public static class HgRefs
{
    public const string BranchPrefix = "refs/heads/";

    public const string BookmarkPrefix = "refs/bookmarks/";

    public const string TagPrefix = "refs/tags/";

    /// <summary>The named branch a changeset is on unless it names another: hg's counterpart of git's default branch.</summary>
    public const string DefaultBranch = "default";
}
