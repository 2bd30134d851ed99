namespace Posthorn.Core.Repositories;

/// <summary>The version control systems a repository may use: its <see cref="Repository.Scm"/> and the payload's <c>repository.scm</c>.</summary>
public static class Scms
{
    public const string Git = "git";

    public const string Mercurial = "hg";

    public static bool IsKnown(string? scm) => scm is Git or Mercurial;
}
