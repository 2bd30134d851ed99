using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Accounts;

namespace Posthorn.Web.Auth;

/// <summary>The signed-in account for this request, read once and cached in the request.</summary>
public static class CurrentAccount
{
    private static readonly object Key = new();

    public static async Task<Account?> GetAccountAsync(this HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var cached))
        {
            return (Account?)cached;
        }

        var id = AccountClaims.AccountId(context.User);
        var account = id is null ? null : await context.RequestServices.GetRequiredService<IAccountStore>().FindAccountByIdAsync(id.Value, context.RequestAborted);
        context.Items[Key] = account;
        return account;
    }
}
