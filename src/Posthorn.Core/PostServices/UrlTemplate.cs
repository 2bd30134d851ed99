namespace Posthorn.Core.PostServices;

/// <summary>
/// Push data in a service URL, e.g. https://ci.example.com/job/build?branch=${branch} (users of the
/// original service asked for exactly this). Placeholders are expanded per delivery, each value
/// percent-encoded so a branch name can never change the URL's structure; placeholders are allowed
/// only in the path and query (see <see cref="PlaceholderInAuthority"/>). Pure; thread-safe.
/// </summary>
public static class UrlTemplate
{
    /// <summary>The placeholders and what they become (empty when a push has no such thing, e.g. ${tag} on a branch push).</summary>
    public static readonly IReadOnlyList<string> Names = ["branch", "tag", "ref", "commit", "user", "owner", "repository"];

    /// <summary>Plausible values, used to check that a template expands to a valid URL when it is saved.</summary>
    public static readonly IReadOnlyDictionary<string, string> Sample = new Dictionary<string, string>
    {
        ["branch"] = "main", ["tag"] = "v1.0", ["ref"] = "refs/heads/main", ["commit"] = new string('a', 40),
        ["user"] = "someone", ["owner"] = "someone", ["repository"] = "project",
    };

    public static bool HasPlaceholders(string url) => url.Contains("${", StringComparison.Ordinal);

    /// <summary>
    /// True when a placeholder sits before the path: in the scheme, user info, host or port. Those
    /// parts choose where the request and its Basic credentials go, so a writer who may push a
    /// branch named "127.0.0.2" must not get to fill them. The boundary is the first '/', '\', '?'
    /// or '#' after "://" (or from the start when there is none): .NET reads '\' as '/' in http URLs.
    /// </summary>
    public static bool PlaceholderInAuthority(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        url = url.Replace('\\', '/');
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var pathStart = url.IndexOfAny(['/', '?', '#'], start);
        var head = pathStart < 0 ? url : url[..pathStart];
        return head.Contains("${", StringComparison.Ordinal);
    }

    /// <summary>
    /// True when a placeholder's value makes a whole path segment "." or ".." (Mercurial lets a branch
    /// be named so; percent-encoding does not help, as .NET and receivers decode %2E first). Every URL
    /// parser removes such a segment and the one before it, so the pushed name would move the request,
    /// and its credentials, to another path on the receiver: /job/${branch}/build would POST to /build.
    /// </summary>
    public static bool ValueMakesDotSegment(string template, string expanded)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(expanded);
        var templateSegments = PathOf(template).Split('/');
        var expandedSegments = PathOf(expanded).Split('/');
        if (templateSegments.Length != expandedSegments.Length)
        {
            return true; // values are escaped, so this cannot happen; if it did, the path is not the template's
        }

        for (var i = 0; i < templateSegments.Length; i++)
        {
            // Decoded once, a value's own '/' (escaped as %2F) splits it again: a receiver that decodes
            // %2F before it resolves dot segments (nginx does) reads x%2F.. as x/.. too.
            if (HasPlaceholders(templateSegments[i]) && Uri.UnescapeDataString(expandedSegments[i]).Split('/', '\\').Any(piece => piece is "." or ".."))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path of an http(s) URL as written: from the first '/' after "://" and the host, up to '?' or '#'.</summary>
    private static string PathOf(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var start = url.IndexOfAny(['/', '?', '#'], schemeEnd < 0 ? 0 : schemeEnd + 3);
        if (start < 0 || url[start] != '/')
        {
            return "";
        }

        var end = url.IndexOfAny(['?', '#'], start);
        return end < 0 ? url[start..] : url[start..end];
    }

    /// <summary>Names inside ${...} that are not placeholders we know (typos are reported when the service is saved).</summary>
    public static IEnumerable<string> UnknownNames(string url) => Placeholders(url).Where(n => !Names.Contains(n));

    public static string Expand(string url, IReadOnlyDictionary<string, string> values)
    {
        if (!HasPlaceholders(url))
        {
            return url;
        }

        var result = url;
        foreach (var name in Names)
        {
            result = result.Replace("${" + name + "}", Uri.EscapeDataString(values.TryGetValue(name, out var v) ? v : ""), StringComparison.Ordinal);
        }

        return result;
    }

    private static IEnumerable<string> Placeholders(string url)
    {
        for (var start = url.IndexOf("${", StringComparison.Ordinal); start >= 0; start = url.IndexOf("${", start + 2, StringComparison.Ordinal))
        {
            var end = url.IndexOf('}', start);
            yield return end < 0 ? url[(start + 2)..] : url[(start + 2)..end];
        }
    }
}
