namespace Posthorn.Tests;

/// <summary>The checkout these tests were built from (the folder holding Posthorn.slnx).</summary>
public static class SourceTree
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Posthorn.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Posthorn.slnx not found above " + AppContext.BaseDirectory);
    }
}
