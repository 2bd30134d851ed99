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

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header) || string.IsNullOrEmpty(header.Parameter))
        {
            return AuthenticateResult.NoResult();
        }

        var (username, secret) = Split(header);
        if (username is null || secret is null)
        {
            return AuthenticateResult.Fail("Malformed Authorization header.");
        }

        var client = Context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (throttle.IsLockedOut(username, client))
        {
            return AuthenticateResult.Fail("Too many failed sign-ins; try again later.");
        }

        var account = header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? await authenticator.AuthenticateTokenAsync(secret, Context.RequestAborted)
            : await authenticator.AuthenticateAsync(username, secret, Context.RequestAborted);
        if (account is null)
        {
            throttle.RecordFailure(username, client);
            return AuthenticateResult.Fail("Bad credentials.");
        }

        throttle.RecordSuccess(username, client);
        var identity = new ClaimsIdentity(AccountClaims.For(account), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"Posthorn\", charset=\"UTF-8\"";
        return Task.CompletedTask;
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
