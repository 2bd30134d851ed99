using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Posthorn.Web.Auth;

namespace Posthorn.Web.Pages.Account;

/// <summary>Sign-out ends the session on the server (<see cref="SignInSessions"/>). It is a POST (with anti-forgery) so a cross-site link cannot sign people out; GET shows the button.</summary>
public sealed class SignOutModel(SignInSessions sessions) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await sessions.SignOutAsync(HttpContext);
        return LocalRedirect("/");
    }
}
