using Posthorn.Git.Processes;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// posthorn_hg.py (embedded beside this file), run with Mercurial's own Python: hgweb as CGI, the
/// pretxnclose hook, and the reads Posthorn needs (refs, changesets) through Mercurial's API rather
/// than parsed command output. The hook and <see cref="HgRefReader"/> share one definition of a
/// repository's refs, so what the hook journals is what the reader later finds.
/// </summary>
public static class HgScript
{
    public static string Text { get; } = Load();

    public static GitInvocation Invocation(MercurialOptions options, string mode, string repository, IEnumerable<string> arguments) =>
        new(["-c", Text, mode, repository, .. arguments])
        {
            Program = options.PythonPath,
            WorkingDirectory = repository,
            Environment = HgCommand.Environment,
        };

    private static string Load()
    {
        using var stream = typeof(HgScript).Assembly.GetManifestResourceStream("Posthorn.Git.Mercurial.posthorn_hg.py")
            ?? throw new InvalidOperationException("posthorn_hg.py is not embedded in Posthorn.Git.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
