using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Posthorn.Core.Accounts;
using Posthorn.Web.Accounts;

namespace Posthorn.Web.Auth;

/// <summary>
/// Server-side sessions behind the sign-in cookie. The cookie alone would stay valid until it
/// expires, even after "Sign out" (a copied cookie kept working); so each sign-in records a
/// random session id (hashed) in storage, every cookie request checks it is still there, and
/// sign-out deletes it. Stored, not in memory, so every node of a cluster agrees. Thread-safe.
/// </summary>
public sealed class SignInSessions(ISessionStore sessions, TimeProvider time)
{
    /// <summary>Longest a session lives however actively it is used; older rows are forgotten.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    private const string SessionClaim = "posthorn:session";

    /// <summary>Signs the account in with a cookie naming a new server-side session.</summary>
    public async Task SignInAsync(HttpContext context, Account account)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        await sessions.StartSessionAsync(account.Id, TokenFormat.Hash(id), now, now - MaxAge, context.RequestAborted);
        var claims = AccountClaims.For(account).Append(new Claim(SessionClaim, id));
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>Ends the session on the server (every copy of the cookie stops working), then clears the cookie.</summary>
    public async Task SignOutAsync(HttpContext context)
    {
        if (context.User.FindFirstValue(SessionClaim) is { } id)
        {
            await sessions.EndSessionAsync(TokenFormat.Hash(id), CancellationToken.None);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>The cookie handler's OnValidatePrincipal: a cookie whose session has ended signs nobody in.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(SessionClaim);
        if (id is not null && await sessions.IsSessionLiveAsync(TokenFormat.Hash(id), time.GetUtcNow() - MaxAge, context.HttpContext.RequestAborted))
        {
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
