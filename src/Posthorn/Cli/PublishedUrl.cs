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
        try
        {
            File.WriteAllText(Path.Combine(dataDirectory, FileName), url + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>POSTHORN_PUBLIC_URL, else what the last `serve` on this data folder published, else null.</summary>
    public static string? For(string dataDirectory)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }

        try
        {
            var recorded = File.ReadAllText(Path.Combine(dataDirectory, FileName)).Trim();
            return Uri.TryCreate(recorded, UriKind.Absolute, out _) ? recorded : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
