using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// The Git-Protocol request header (Documentation/technical/protocol-v2.txt, "HTTP Transport")
/// is copied into git's GIT_PROTOCOL environment variable. It is client input reaching a process
/// environment, so only the exact shapes git sends are let through; anything else means v0.
/// </summary>
public static partial class GitProtocolHeader
{
    // "version=2", optionally followed by further ":key=value" parameters git may add.
    [GeneratedRegex(@"\Aversion=[0-2](:[a-z][a-z0-9-]{0,31}=[A-Za-z0-9._-]{1,64}){0,8}\z")]
    private static partial Regex Pattern();

    /// <summary>The validated header value, or null when absent or not of the expected shape.</summary>
    public static string? Read(HttpRequest request)
    {
        var values = request.Headers["Git-Protocol"];
        return values.Count == 1 && values[0] is { Length: <= 512 } value && Pattern().IsMatch(value) ? value : null;
    }

    public static bool IsVersion2(string? value) => value is not null && value.StartsWith("version=2", StringComparison.Ordinal);
}
