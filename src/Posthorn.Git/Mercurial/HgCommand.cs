namespace Posthorn.Git.Mercurial;

/// <summary>
/// The environment every Mercurial process Posthorn starts runs with, so its behaviour does not
/// depend on who runs the server: HGPLAIN (no aliases, no localisation), UTF-8, and HGRCPATH empty
/// so that only the repository's own .hg/hgrc is read, never a user's or the machine's.
/// </summary>
public static class HgCommand
{
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["HGPLAIN"] = "1",
        ["HGENCODING"] = "utf-8",
        ["HGRCPATH"] = "",
        ["HGUSER"] = "posthorn",
    };
}
