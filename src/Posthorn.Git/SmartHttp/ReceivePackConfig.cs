namespace Posthorn.Git.SmartHttp;

/// <summary>
/// The git configuration Posthorn gives the receive-pack processes it runs, through their environment
/// (git ≥ 2.31 reads GIT_CONFIG_COUNT, GIT_CONFIG_KEY_n, GIT_CONFIG_VALUE_n), so the repositories on
/// disk keep git's defaults for anyone else who works on them.
/// </summary>
public static class ReceivePackConfig
{
    // Only Posthorn moves a pull request's ref. Hidden in the advertisement too, so that a mirror push
    // does not try to delete refs it was never meant to see; refused if pushed.
    private static readonly (string Key, string Value) HidePullRequestRefs = ("receive.hideRefs", "refs/pull");

    /// <summary>For the ref advertisement (info/refs?service=git-receive-pack).</summary>
    public static IEnumerable<KeyValuePair<string, string>> ForAdvertisement { get; } = Of(HidePullRequestRefs);

    /// <summary>For the push itself.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ForPush { get; } = Of(
        [
            HidePullRequestRefs,
            // Posthorn runs gc --auto itself every Git:GcCheckEveryPushes pushes (Repositories/Housekeeping.cs):
            // after every push it is one more process for nothing most of the time.
            ("receive.autogc", "false"),
            // receive-pack checks a push's objects with rev-list --alternate-refs. While the push is in
            // quarantine the repository's own object store is that "alternate", so git would start
            // for-each-ref on the same repository, every push, to list tips that only stop the walk
            // sooner. A command that lists none keeps the check whole (it may walk further, never
            // less) and saves that process. Without /bin/true git keeps its own way rather than
            // printing "cannot run" on every push.
            .. File.Exists("/bin/true") ? [("core.alternateRefsCommand", "/bin/true")] : Array.Empty<(string, string)>(),
        ]);

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
