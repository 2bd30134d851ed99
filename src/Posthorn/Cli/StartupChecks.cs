using Npgsql;
using Posthorn.Storage.Secrets;

namespace Posthorn.Cli;

/// <summary>
/// Checks made before anything starts, so a mistake in --data or --database is one line naming the
/// option (exit 2) rather than a file or parser exception from deep inside storage.
/// </summary>
public static class StartupChecks
{
    public static void DataFolder(string path)
    {
        if (File.Exists(path))
        {
            throw new UsageException($"--data {path} is a file; give a folder (it is created when missing).");
        }

        var probe = Path.Combine(path, $".posthorn-write-check-{Environment.ProcessId}");
        try
        {
            OwnerOnlyFiles.CreateFolder(path);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--data {path} cannot be used: {e.Message} Give a folder this user can write to.");
        }
    }

    public static void DatabaseString(string? database)
    {
        if (database is null)
        {
            return;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(database);
        }
        catch (ArgumentException)
        {
            // The parser's message quotes the string, which may hold a password: it is not repeated.
            throw new UsageException("--database is not a PostgreSQL connection string; expected Host=HOST;Database=NAME;Username=USER;Password=... (or leave it out to use SQLite in the data folder).");
        }
    }
}
