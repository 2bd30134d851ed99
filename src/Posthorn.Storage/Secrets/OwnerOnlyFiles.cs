namespace Posthorn.Storage.Secrets;

/// <summary>
/// File modes for what must be readable by the server's own user only: the SQLite database (SQLite
/// gives its -wal and -shm files the database file's mode) and the key ring. A no-op on Windows,
/// where files inherit the folder's ACL.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Options that create a new file with mode 0600 from the start (no window at the umask's mode).</summary>
    public static FileStreamOptions CreateNew() =>
        OperatingSystem.IsWindows()
            ? new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write }
            : new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode };

    /// <summary>Creates an empty file with mode 0600 unless it exists; tightens it (and the given companions) if they do.</summary>
    public static void Prepare(string path, params string[] companions)
    {
        try
        {
            using var created = new FileStream(path, CreateNew());
        }
        catch (IOException) when (File.Exists(path))
        {
            // Already there (an older install, or another process won the race): tightened below.
        }

        foreach (var file in companions.Prepend(path))
        {
            Tighten(file, FileMode);
        }
    }

    /// <summary>
    /// Creates the folder with mode 0700 when it is missing (the data folder: repositories, private
    /// ones too, live in it); an existing one is left as its operator set it up.
    /// </summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows() || Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            return;
        }

        Directory.CreateDirectory(folder, FolderMode);
    }

    /// <summary>Creates the folder with mode 0700, or tightens an existing one.</summary>
    public static void PrepareFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        Directory.CreateDirectory(folder, FolderMode);
        Tighten(folder, FolderMode);
    }

    private static void Tighten(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows() || !Path.Exists(path))
        {
            return;
        }

        try
        {
            if (File.GetUnixFileMode(path) != mode)
            {
                File.SetUnixFileMode(path, mode);
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Owned by someone else (a shared folder set up by the operator): leave it as they made it.
        }
    }
}
