namespace Posthorn.EndToEnd.Support;

/// <summary>Paths into the source tree and the built server, found from the test assembly's location.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    /// <summary>Debug or Release: whichever configuration built these tests also built the server beside them.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string ServerDll => System.IO.Path.Combine(Path, "src", "Posthorn", "bin", Configuration, "net10.0", "posthorn.dll");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Posthorn.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Posthorn.slnx not found above " + AppContext.BaseDirectory);
    }
}
