using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Posthorn.Core;
using Posthorn.Core.Accounts;
using Posthorn.Web.Accounts;
using Posthorn.Web.Auth;

namespace Posthorn.Web.Pages.Account;

/// <summary>Personal access tokens for git and the API. A new token is shown once, in the POST's response, never stored in clear.</summary>
[Authorize]
public sealed class TokensModel(IAccountStore accounts, AccountRegistry registry) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    public string? NameError { get; private set; }

    /// <summary>The clear token, only in the response to the POST that created it.</summary>
    public string? NewSecret { get; private set; }

    public string? Message { get; private set; }

    public IReadOnlyList<AccessToken> Tokens { get; private set; } = [];

    /// <summary>
    /// The new token and what the last POST did, carried over its redirect (Post/Redirect/Get: a
    /// reload makes no second token). TempData is an encrypted cookie read once, so the token is shown once.
    /// </summary>
    [TempData]
    public string? FlashSecret { get; set; }

    [TempData]
    public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        NewSecret = FlashSecret;
        Message = Flash;
        return await LoadAsync() ? Page() : Challenge();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var account = await HttpContext.GetAccountAsync();
        if (account is null)
        {
            return Challenge();
        }

        try
        {
            var (token, secret) = await registry.CreateTokenAsync(account, Name ?? "", HttpContext.RequestAborted);
            FlashSecret = secret;
            Flash = $"Token '{token.Name}' created. Copy it now: it will not be shown again.";
            return RedirectToPage();
        }
        catch (ValidationException e)
        {
            NameError = e.Message;
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id)
    {
        var account = await HttpContext.GetAccountAsync();
        if (account is null)
        {
            return Challenge();
        }

        var revoked = await accounts.RevokeTokenAsync(account.Id, id, HttpContext.RequestAborted);
        Flash = revoked ? "Token revoked." : "That token no longer exists.";
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync()
    {
        var account = await HttpContext.GetAccountAsync();
        if (account is null)
        {
            return false;
        }

        Tokens = await accounts.ListTokensAsync(account.Id, HttpContext.RequestAborted);
        return true;
    }
}
