namespace Posthorn.Git.SmartHttp;

/// <summary>
/// The git configuration Posthorn gives every receive-pack it runs for a push, through the process
/// environment (git ≥ 2.31 reads GIT_CONFIG_COUNT, GIT_CONFIG_KEY_n, GIT_CONFIG_VALUE_n), so the
/// repositories on disk keep git's defaults for anyone else who works on them.
/// </summary>
public static class ReceivePackConfig
{
    public static IEnumerable<KeyValuePair<string, string>> Environment { get; } = Of(
        // Posthorn runs gc --auto itself every Git:GcCheckEveryPushes pushes (Repositories/Housekeeping.cs):
        // after every push it is one more process for nothing most of the time.
        ("receive.autogc", "false"),
        // Only Posthorn moves a pull request's ref: receive-pack refuses pushes to refs/pull/.
        ("receive.hideRefs", "refs/pull"),
        // receive-pack checks a push's objects with rev-list --alternate-refs. While the push is in
        // quarantine the repository's own object store is that "alternate", so git would start
        // for-each-ref on the same repository, every push, to list tips that only stop the walk
        // sooner. A command that lists none keeps the check whole (it may walk further, never less),
        // and saves that process.
        ("core.alternateRefsCommand", "/bin/true"));

    private static List<KeyValuePair<string, string>> Of(params (string Key, string Value)[] settings)
    {
        var environment = new List<KeyValuePair<string, string>> { new("GIT_CONFIG_COUNT", settings.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        for (var i = 0; i < settings.Length; i++)
        {
            environment.Add(new($"GIT_CONFIG_KEY_{i}", settings[i].Key));
            environment.Add(new($"GIT_CONFIG_VALUE_{i}", settings[i].Value));
        }

        return environment;
    }
}
