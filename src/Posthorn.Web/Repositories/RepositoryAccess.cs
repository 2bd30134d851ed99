using Posthorn.Core.Accounts;
using Posthorn.Core.Repositories;

namespace Posthorn.Web.Repositories;

/// <summary>What a caller may do at a repository's URL.</summary>
public enum AccessVerdict
{
    Admitted,

    /// <summary>Anonymous and not enough: ask for credentials (401, or the sign-in page).</summary>
    SignInRequired,

    /// <summary>Signed in but cannot read it, or it does not exist: the same answer, so private names don't leak.</summary>
    NotFound,

    /// <summary>Can read it but lacks the permission asked for.</summary>
    Forbidden,
}

/// <summary>
/// A repository looked up by owner and slug, with the caller's permission on it; one decision for
/// git, the API and the pages, which differ only in how they say no.
/// </summary>
public sealed record RepositoryAccess(Repository? Repository, Account? Account, Permission Permission)
{
    public AccessVerdict VerdictFor(Permission required) =>
        Repository is not null && Permission >= required ? AccessVerdict.Admitted
        : Account is null ? AccessVerdict.SignInRequired
        : Repository is null || Permission < Permission.Read ? AccessVerdict.NotFound
        : AccessVerdict.Forbidden;
}
