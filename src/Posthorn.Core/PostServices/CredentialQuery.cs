namespace Posthorn.Core.PostServices;

/// <summary>
/// Query parameters that carry a credential, such as Jenkins' remote-build <c>?token=</c> or an
/// <c>api_key=</c>: their values are masked wherever a service URL is shown or logged, like the
/// password in its user-info. A name counts as a credential when, lower-cased and without '-', '_'
/// and '.', it is one of <see cref="Names"/>, contains one of <see cref="Parts"/>, or ends in "key".
/// Erring towards masking costs a hidden harmless value; the other way costs a leaked secret. A value
/// made only of placeholders (<c>?token=${commit}</c>) is push data, not a secret, and stays. Pure.
/// </summary>
public static class CredentialQuery
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal) { "pass", "pw", "pwd", "sig", "auth", "code", "jwt" };

    private static readonly string[] Parts = ["token", "secret", "password", "passwd", "signature", "credential", "authorization", "session"];

    public static bool IsCredentialName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(name.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            decoded = name;
        }

        var normal = string.Concat(decoded.ToLowerInvariant().Where(c => c is not ('-' or '_' or '.' or ' ')));
        return Names.Contains(normal) || normal.EndsWith("key", StringComparison.Ordinal) || Parts.Any(p => normal.Contains(p, StringComparison.Ordinal));
    }

    /// <summary><paramref name="url"/> with the value of each credential parameter of its query replaced by ***; the rest as it was, byte for byte.</summary>
    public static string Mask(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return url;
        }

        var fragment = url.IndexOf('#', query);
        var end = fragment < 0 ? url.Length : fragment;
        var parameters = url[(query + 1)..end].Split('&');
        var changed = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            var equals = parameters[i].IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || equals == parameters[i].Length - 1)
            {
                continue;
            }

            var value = parameters[i][(equals + 1)..];
            if (IsCredentialName(parameters[i][..equals]) && !OnlyPlaceholders(value))
            {
                parameters[i] = parameters[i][..(equals + 1)] + "***";
                changed = true;
            }
        }

        return changed ? string.Concat(url.AsSpan(0, query + 1), string.Join('&', parameters), url.AsSpan(end)) : url;
    }

    private static bool OnlyPlaceholders(string value)
    {
        var rest = value;
        foreach (var name in UrlTemplate.Names)
        {
            rest = rest.Replace("${" + name + "}", "", StringComparison.Ordinal);
        }

        return rest.Length == 0;
    }
}
