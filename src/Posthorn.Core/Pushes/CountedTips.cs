using Posthorn.Core.Repositories;

namespace Posthorn.Core.Pushes;

/// <summary>
/// The tips whose history a push's new commits are counted against. In a git repository those are
/// the branches: a commit that only a tag or another ref (refs/pull/..., a custom ref) reached is
/// announced when a branch first reaches it; counted against every ref, a commit pushed under a tag
/// and later fast-forwarded onto main was never announced at all. In a Mercurial repository every
/// changeset is on a named branch already, and every recorded name counts. The price: a commit no
/// branch reaches any more (its branch deleted or rewound) but a tag does is listed again when a
/// branch reaches it again, as a deleted branch's commits always were: listed twice, never missed.
/// </summary>
public static class CountedTips
{
    private const string BranchPrefix = "refs/heads/";

    public static HashSet<string> Of(Repository repository, IReadOnlyDictionary<string, string> refs)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(refs);
        var counted = repository.Scm == Scms.Mercurial ? refs : refs.Where(r => r.Key.StartsWith(BranchPrefix, StringComparison.Ordinal));
        return counted.Select(r => r.Value).ToHashSet(StringComparer.Ordinal);
    }
}
