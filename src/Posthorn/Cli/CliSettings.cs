using System.CommandLine;

namespace Posthorn.Cli;

/// <summary>
/// Options every verb shares: where the data lives and which database to use. The command line
/// wins over the environment (POSTHORN_DATA, POSTHORN_DATABASE), which wins over the defaults.
/// </summary>
public sealed record CliSettings(string DataDirectory, string? Database)
{
    public static readonly Option<string?> DataOption = new("--data")
    {
        Description = "Data folder (SQLite file and repositories). Default: $POSTHORN_DATA or ./data",
        Recursive = true,
    };

    public static readonly Option<string?> DatabaseOption = new("--database")
    {
        Description = "PostgreSQL connection string (Host=...;Database=...). Default: $POSTHORN_DATABASE, else SQLite in the data folder",
        Recursive = true,
    };

    public static CliSettings From(ParseResult parse)
    {
        var data = parse.GetValue(DataOption) ?? Environment.GetEnvironmentVariable("POSTHORN_DATA");
        var database = parse.GetValue(DatabaseOption) ?? Environment.GetEnvironmentVariable("POSTHORN_DATABASE");
        var settings = new CliSettings(Path.GetFullPath(string.IsNullOrWhiteSpace(data) ? "data" : data), string.IsNullOrWhiteSpace(database) ? null : database);
        StartupChecks.DataFolder(settings.DataDirectory);
        StartupChecks.DatabaseString(settings.Database);
        return settings;
    }
}
