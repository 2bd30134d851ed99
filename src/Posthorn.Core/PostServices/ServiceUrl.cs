namespace Posthorn.Core.PostServices;

/// <summary>
/// The rules for a post service URL and the only ways it is shown: absolute http(s), a host, no
/// fragment; user:password in it becomes HTTP Basic auth and is masked everywhere it is displayed
/// or logged. Pure; used by the API for clear 400s and by the sender.
/// </summary>
public static class ServiceUrl
{
    /// <summary>Null when <paramref name="url"/> is acceptable, otherwise a message fit for a 400 response.</summary>
    public static string? Validate(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "The URL is required.";
        }

        if (UrlTemplate.UnknownNames(url).FirstOrDefault() is { } unknown)
        {
            return $"Unknown placeholder ${{{unknown}}}: use {string.Join(", ", UrlTemplate.Names.Select(n => "${" + n + "}"))}.";
        }

        if (UrlTemplate.PlaceholderInAuthority(url))
        {
            return "Placeholders such as ${branch} may appear only in the path or query, never in the scheme, user info, host or port: a pushed branch name must not choose where the request (and its credentials) go.";
        }

        // A template must make a valid URL once expanded; check it with plausible values.
        url = UrlTemplate.Expand(url, UrlTemplate.Sample);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return "The URL must be absolute, like https://ci.example.com/hook.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "The URL must start with http:// or https://.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "The URL must name a host.";
        }

        // .NET also reads "http:/\host" and "http:\host" as http://host; only the spelling everyone
        // reads the same way is taken, so what is shown (and masked) is what is sent.
        var beforeQuery = url.IndexOfAny(['?', '#']) is var end and >= 0 ? url[..end] : url;
        if (!url.TrimStart().StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase) || beforeQuery.Contains('\\', StringComparison.Ordinal))
        {
            return "The URL must start with http:// or https:// and have no backslash before its query (write one as %5C).";
        }

        if (url.Contains('#', StringComparison.Ordinal))
        {
            return "The URL must not contain a fragment (#...); it is never sent to the receiver.";
        }

        return null;
    }

    /// <summary>The URL as a <see cref="Uri"/>; <see cref="FormatException"/> with <see cref="Validate"/>'s message when it breaks the rules.</summary>
    public static Uri Parse(string url)
    {
        var error = Validate(url);
        return error is null ? new Uri(url.Trim(), UriKind.Absolute) : throw new FormatException(error);
    }

    /// <summary>
    /// The URL with its secrets replaced by ***: the password in its user-info (user:pass@ → user:***@,
    /// a lone token@ → ***@) and the value of every query parameter named like a credential
    /// (?token=abc → ?token=***, see <see cref="CredentialQuery"/>). Works on any string, even one that
    /// fails <see cref="Validate"/> or is spelled as only .NET reads it (http:/\user:pass@host), so
    /// error paths and services saved before that spelling was refused never leak.
    /// </summary>
    public static string Mask(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return CredentialQuery.Mask(MaskUserInfo(url));
    }

    private static string MaskUserInfo(string url)
    {
        var start = AuthorityStart(url);
        var authorityEnd = url.IndexOfAny(['/', '\\', '?', '#'], start);
        var authority = authorityEnd < 0 ? url[start..] : url[start..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return url;
        }

        var userInfo = authority[..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var masked = colon < 0 ? "***" : userInfo[..colon] + ":***";
        return string.Concat(url.AsSpan(0, start), masked, url.AsSpan(start + at));
    }

    /// <summary>Where the authority begins: after the scheme's colon and any run of slashes or backslashes (from the start when there is no scheme).</summary>
    private static int AuthorityStart(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var start = colon > 0 && char.IsAsciiLetter(url[0]) && url.AsSpan(0, colon).IndexOfAnyExcept(SchemeCharacters) < 0 ? colon + 1 : 0;
        while (start < url.Length && url[start] is '/' or '\\')
        {
            start++;
        }

        return start;
    }

    private static readonly System.Buffers.SearchValues<char> SchemeCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    /// <summary>The decoded user name and password in the URL's user-info, or null when it has none.</summary>
    public static (string User, string Password)? Credentials(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (string.IsNullOrEmpty(url.UserInfo))
        {
            return null;
        }

        var colon = url.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? url.UserInfo : url.UserInfo[..colon];
        var password = colon < 0 ? string.Empty : url.UserInfo[(colon + 1)..];
        return (Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
    }

    /// <summary>The URL that actually goes on the wire: user-info removed (it travels as Authorization), fragment dropped.</summary>
    public static Uri WithoutCredentials(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (string.IsNullOrEmpty(url.UserInfo) && string.IsNullOrEmpty(url.Fragment))
        {
            return url;
        }

        var builder = new UriBuilder(url) { UserName = string.Empty, Password = string.Empty, Fragment = string.Empty };
        return builder.Uri;
    }
}
