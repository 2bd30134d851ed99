using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// The CGI meta-variables (RFC 3875 §4.1) for one request to hgweb. Every request header becomes
/// HTTP_*: hg passes command arguments in X-HgArg-N headers. Credentials and cookies are never
/// passed on (Posthorn has authenticated the caller; REMOTE_USER says who), nor a "Proxy" header,
/// which Python's HTTP libraries would read as HTTP_PROXY ("httpoxy").
/// </summary>
internal static class CgiEnvironment
{
    private static readonly HashSet<string> Withheld = new(StringComparer.OrdinalIgnoreCase) { "Authorization", "Cookie", "Proxy", "Proxy-Authorization" };

    public static Dictionary<string, string> Of(HttpRequest request, string? remoteUser)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GATEWAY_INTERFACE"] = "CGI/1.1",
            ["SERVER_SOFTWARE"] = "Posthorn",
            ["SERVER_PROTOCOL"] = request.Protocol,
            ["SERVER_NAME"] = request.Host.Host,
            ["SERVER_PORT"] = (request.Host.Port ?? (request.IsHttps ? 443 : 80)).ToString(CultureInfo.InvariantCulture),
            ["REQUEST_METHOD"] = request.Method,
            ["SCRIPT_NAME"] = (request.PathBase + request.Path).Value ?? "",
            ["PATH_INFO"] = "",
            ["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "",
            ["REMOTE_ADDR"] = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "",
        };
        if (request.IsHttps)
        {
            environment["HTTPS"] = "on";
        }

        if (remoteUser is not null)
        {
            environment["REMOTE_USER"] = remoteUser;
        }

        if (request.ContentType is { } type)
        {
            environment["CONTENT_TYPE"] = type;
        }

        if (request.ContentLength is { } length)
        {
            environment["CONTENT_LENGTH"] = length.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (!Withheld.Contains(name) && !name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                environment["HTTP_" + name.ToUpperInvariant().Replace('-', '_')] = values.ToString();
            }
        }

        return environment;
    }
}
