namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// A pre-receive hook in the server's bare repository that holds some pushes inside git
/// receive-pack (the pack is in, the refs not yet moved), marking that moment with a file in
/// <see cref="Folder"/>: about one push in eight for 0.3 s, and — once <see cref="Arm"/> is called —
/// the next push for 1 s. The soak arms it before a kill and kills while the mark exists, so kills
/// land while receive-pack, a child process the server does not outlive, is still working.
/// </summary>
public sealed class BusyHook
{
    private BusyHook(string folder) => Folder = folder;

    public string Folder { get; }

    private string ArmedPath => Folder + ".armed";

    public bool IsBusy => Directory.EnumerateFileSystemEntries(Folder).Any();

    /// <summary>The next push to reach pre-receive is held for 1 s.</summary>
    public void Arm() => File.WriteAllText(ArmedPath, "");

    public void Disarm() => File.Delete(ArmedPath);

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

        // Unarmed, the choice depends on the pushed ref lines (old, new, name), so it varies push by
        // push without a random source. Only one push takes the arm: unlinking is atomic. The hook
        // writes nothing, so it never touches the sideband (whose reader may be dead).
        File.WriteAllText(hook, $"""
            #!/bin/sh
            sum=$(cksum | cut -d' ' -f1)
            hold=
            if rm "{folder}.armed" 2>/dev/null; then hold=1; elif [ $((sum % 8)) -eq 0 ]; then hold=0.3; fi
            if [ -n "$hold" ]; then
              mark="{folder}/$$"
              : > "$mark"
              sleep "$hold"
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
