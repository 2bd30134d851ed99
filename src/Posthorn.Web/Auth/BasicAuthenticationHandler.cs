using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Web.Accounts;

namespace Posthorn.Web.Auth;

/// <summary>
/// HTTP Basic (username + password or token) and Bearer (token) for git and the API. Challenges
/// with a Basic realm because that is what makes git ask its credential helper.
/// A valid token always works: tokens carry 256 random bits, so guessing needs no lock-out, and
/// one that locked every token user behind a shared address (a proxy, a NAT) out was a denial of
/// service. Bad tokens are still counted per client and answered 429 past the limit. Passwords are
/// throttled per username and client by <see cref="SignInThrottle"/>.
/// </summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    Authenticator authenticator,
    SignInThrottle throttle)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    /// <summary>The throttle's key for bad tokens: not a valid username, so it never meets a password entry.</summary>
    private const string TokenKey = "";

    private static readonly object ThrottledKey = new();

    private static readonly object RefusedKey = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || string.IsNullOrEmpty(header.Parameter))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && !header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult(); // another scheme (a proxy's Negotiate, a signature): not Posthorn's to judge
        }

        var (username, secret) = Split(header);
        if (username is null || secret is null)
        {
            return Refused("Malformed Authorization header.");
        }

        var client = Context.Connection.RemoteIpAddress?.ToString() ?? "";
        var isBearer = header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
        if (isBearer || TokenFormat.LooksLikeToken(secret))
        {
            var byToken = await authenticator.AuthenticateTokenAsync(secret, Context.RequestAborted);
            if (byToken is not null)
            {
                return Success(byToken);
            }

            if (isBearer)
            {
                throttle.RecordFailure(TokenKey, client);
                return Throttled(throttle.IsLockedOut(TokenKey, client), "Bad token.");
            }
        }

        // Refused before any lookup: a username the rule forbids (a 20,000-character one, say) is no account.
        if (Authenticator.NormalizeUsername(username) is not { } normalized)
        {
            return Refused("Bad credentials.");
        }

        if (throttle.IsLockedOut(normalized, client))
        {
            return Throttled(true, "Too many failed sign-ins; try again later.");
        }

        var account = await authenticator.AuthenticatePasswordAsync(normalized, secret, Context.RequestAborted);
        if (account is null)
        {
            throttle.RecordFailure(normalized, client);
            return Refused("Bad credentials.");
        }

        throttle.RecordSuccess(normalized, client);
        return Success(account);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"Posthorn\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    /// <summary>Whether this request's credentials were refused by the throttle (the pipeline answers 429 for it).</summary>
    public static bool IsThrottled(HttpContext context) => context.Items.ContainsKey(ThrottledKey);

    private AuthenticateResult Throttled(bool throttled, string reason)
    {
        if (throttled)
        {
            Context.Items[ThrottledKey] = true;
        }

        return Refused(reason);
    }

    /// <summary>
    /// Whether this request carried Basic or Bearer credentials that were refused. The pipeline
    /// answers 401 for it on git, Mercurial and the API even where no account is needed (a public
    /// repository): a mistyped token or a revoked one must not pass silently as an anonymous read that
    /// later fails somewhere less clear. Pages keep reading them as anonymous: a proxy in front that
    /// does its own Basic auth passes its header on to them.
    /// </summary>
    public static bool IsRefused(HttpContext context) => context.Items.ContainsKey(RefusedKey);

    private AuthenticateResult Refused(string reason)
    {
        Context.Items[RefusedKey] = true;
        return AuthenticateResult.Fail(reason);
    }

    private AuthenticateResult Success(Core.Accounts.Account account)
    {
        CurrentAccount.Authenticated(Context, account);
        var identity = new ClaimsIdentity(AccountClaims.For(account), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static (string? Username, string? Secret) Split(AuthenticationHeaderValue header)
    {
        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return ("", header.Parameter);
        }

        if (!header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter!));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null) : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }
}
