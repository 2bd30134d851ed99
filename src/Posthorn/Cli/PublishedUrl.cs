namespace Posthorn.Cli;

/// <summary>
/// The base URL the server publishes (clone URLs, canon_url, links in payloads), for the verbs that
/// write events from the command line (`pr merge`, `service test`, ...): they run beside the server
/// on the same data but are not told its --urls or --public-url. `serve` leaves it in the data folder;
/// POSTHORN_PUBLIC_URL overrides it for both (a node whose data folder is not the server's).
/// </summary>
public static class PublishedUrl
{
    public const string Variable = "POSTHORN_PUBLIC_URL";

    private const string FileName = "public-url";

    /// <summary>Best effort: a verb that cannot read it falls back to the default address.</summary>
    public static void Record(string dataDirectory, string url)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var temporary = $"{path}.{Environment.ProcessId}";
        try
        {
            // Beside it, then renamed: a verb reading meanwhile sees the old address or the new one.
            File.WriteAllText(temporary, url + "\n");
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
        }
    }

    /// <summary>POSTHORN_PUBLIC_URL, else what the last `serve` on this data folder published, else null.</summary>
    public static string? For(string dataDirectory)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return IsHttp(configured) ? configured.TrimEnd('/')
                : throw new UsageException($"{Variable}={configured} is not an absolute http(s) URL.");
        }

        try
        {
            var recorded = File.ReadAllText(Path.Combine(dataDirectory, FileName)).Trim();
            return IsHttp(recorded) ? recorded : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
