namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// A pre-receive hook in the server's bare repository that holds about one push in four inside
/// git receive-pack for 0.4 s (the pack is in, the refs not yet moved), marking that moment with a
/// file in <see cref="Folder"/>. The soak kills the server while such a mark exists, so kills land
/// while receive-pack — a child the server does not outlive — is still working.
/// </summary>
public sealed class BusyHook
{
    private BusyHook(string folder) => Folder = folder;

    public string Folder { get; }

    public bool IsBusy => Directory.EnumerateFileSystemEntries(Folder).Any();

    /// <param name="hooksDirectory">Where git looks for the repository's hooks (`git rev-parse --git-path hooks`, which honours core.hooksPath).</param>
    public static BusyHook Install(string hooksDirectory, string folder)
    {
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(hooksDirectory);
        var hook = Path.Combine(hooksDirectory, "pre-receive");
        if (File.Exists(hook))
        {
            throw new InvalidOperationException($"{hook} exists already; the soak will not replace a hook the server installed.");
        }

        // The choice depends on the pushed ref lines (old, new, name), so it varies push by push
        // without a random source; the hook writes nothing, so it never touches the sideband.
        File.WriteAllText(hook, $"""
            #!/bin/sh
            sum=$(cksum | cut -d' ' -f1)
            if [ $((sum % 4)) -eq 0 ]; then
              mark="{folder}/$$"
              : > "$mark"
              sleep 0.4
              rm -f "$mark"
            fi
            exit 0

            """);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("git hooks here are shell scripts");
        }

        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return new BusyHook(folder);
    }
}
