using System.Security.Claims;
using Posthorn.Core.Accounts;

namespace Posthorn.Web.Auth;

/// <summary>The claims that identify a signed-in account; the account itself is re-read per request so revocations bite at once.</summary>
public static class AccountClaims
{
    public static IEnumerable<Claim> For(Account account) =>
    [
        new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, account.Username),
    ];

    public static long? AccountId(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}
