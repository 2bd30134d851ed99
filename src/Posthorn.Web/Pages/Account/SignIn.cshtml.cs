using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Posthorn.Web.Accounts;
using Posthorn.Web.Auth;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Account;

/// <summary>Cookie sign-in; failures count towards the same <see cref="SignInThrottle"/> lock-out as Basic auth.</summary>
public sealed class SignInModel(Authenticator authenticator, SignInThrottle throttle, SignInSessions sessions) : PageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var username = Username?.Trim() ?? "";
        var client = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "";
        if (username.Length == 0 || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your username and password.";
            return Page();
        }

        // A username the rule forbids is no account: refused before the throttle or the store sees it.
        if (Authenticator.NormalizeUsername(username) is not { } normalized)
        {
            Error = "Wrong username or password.";
            return Page();
        }

        username = normalized;
        if (throttle.IsLockedOut(username, client))
        {
            Error = "Too many failed sign-ins for this account; wait a few minutes and try again.";
            return Page();
        }

        var account = await authenticator.AuthenticateAsync(username, Password, HttpContext.RequestAborted);
        if (account is null)
        {
            throttle.RecordFailure(username, client);
            Error = "Wrong username or password.";
            return Page();
        }

        throttle.RecordSuccess(username, client);
        await sessions.SignInAsync(HttpContext, account);

        // Only local return URLs: an open redirect after sign-in is a phishing aid.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? LocalUrl.ForLocation(ReturnUrl!) : "/");
    }
}
