using Posthorn.Core.Accounts;

namespace Posthorn.Core.Repositories;

/// <summary>
/// Who may do what to a repository. Pure: the caller looks up the explicit grant.
/// Site admins and the owner are admins; anyone (even anonymous) reads a public repository.
/// </summary>
public static class AccessPolicy
{
    public static Permission Effective(Account? account, Repository repository, Permission explicitGrant)
    {
        if (account is not null && (account.IsSiteAdmin || string.Equals(account.Username, repository.Owner, StringComparison.OrdinalIgnoreCase)))
        {
            return Permission.Admin;
        }

        var granted = account is null ? Permission.None : explicitGrant;
        return !repository.IsPrivate && granted < Permission.Read ? Permission.Read : granted;
    }
}
