using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Accounts;

namespace Posthorn.Web.Auth;

/// <summary>The signed-in account for this request, read once and cached in the request.</summary>
public static class CurrentAccount
{
    private static readonly object Key = new();

    // The account the request's credentials were checked against, read by the authentication itself.
    private static readonly object AuthenticatedKey = new();

    /// <summary>
    /// Keeps the account that authentication just read, so this request does not read it again
    /// (a git push is two requests, each otherwise reading the account twice). Request-scoped only:
    /// the next request reads afresh, so a revoked token or a changed account bites at once.
    /// </summary>
    public static void Authenticated(HttpContext context, Account account) => context.Items[AuthenticatedKey] = account;

    public static async Task<Account?> GetAccountAsync(this HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var cached))
        {
            return (Account?)cached;
        }

        var id = AccountClaims.AccountId(context.User);
        // Used only when it is the principal's own account: another scheme may have set the user.
        var account = id is null ? null : context.Items.TryGetValue(AuthenticatedKey, out var read) && read is Account known && known.Id == id.Value ? known : await context.RequestServices.GetRequiredService<IAccountStore>().FindAccountByIdAsync(id.Value, context.RequestAborted);
        context.Items[Key] = account;
        return account;
    }
}
