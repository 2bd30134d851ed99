namespace Posthorn.Git.Mercurial;

/// <summary>How Mercurial is run. Configuration section "Mercurial".</summary>
public sealed class MercurialOptions
{
    public const string SectionName = "Mercurial";

    /// <summary>The hg executable. Default "hg" (looked up on PATH; Debian's package "mercurial").</summary>
    public string HgPath { get; set; } = "hg";

    /// <summary>The Python that has Mercurial's modules, which runs hgweb for each request. Default "/usr/bin/python3" (Debian's).</summary>
    public string PythonPath { get; set; } = "/usr/bin/python3";

    /// <exception cref="ArgumentException">A path is empty.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HgPath))
        {
            throw new ArgumentException("Mercurial:HgPath must name the hg executable.");
        }

        if (string.IsNullOrWhiteSpace(PythonPath))
        {
            throw new ArgumentException("Mercurial:PythonPath must name the Python that runs hgweb.");
        }
    }
}
