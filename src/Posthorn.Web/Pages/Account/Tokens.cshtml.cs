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

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Challenge();

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
            NewSecret = secret;
            Message = $"Token '{token.Name}' created. Copy it now: it will not be shown again.";
            Name = null;
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
        Message = revoked ? "Token revoked." : "That token no longer exists.";
        await LoadAsync();
        return Page();
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
