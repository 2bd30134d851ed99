using System.Collections.Concurrent;

namespace Posthorn.EndToEnd.Support;

/// <summary>
/// The cast of users every <see cref="Site"/> starts with, made once per test run and backend with
/// the real command line, then copied into each new site: its data folder file by file, and on
/// PostgreSQL its database as a template. A `user add` is a process of its own that costs about
/// half a second of CPU, and the suite starts dozens of sites with six users each; the command
/// line's own user commands are tested in CommandLineTests.
/// </summary>
internal static class SiteTemplate
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<Made>>> Templates = new();

    private sealed record Made(string DataDirectory, string? Database);

    /// <summary>Fills <paramref name="dataDirectory"/> (empty) with a copy of the template; returns the new site's database (null for SQLite).</summary>
    public static async Task<string?> CopyAsync(string backend, string dataDirectory)
    {
        var making = Templates.GetOrAdd(backend, b => new Lazy<Task<Made>>(() => MakeAsync(b)));
        Made template;
        try
        {
            template = await making.Value;
        }
        catch
        {
            Templates.TryRemove(new KeyValuePair<string, Lazy<Task<Made>>>(backend, making)); // the next site tries again
            throw;
        }

        CopyFolder(template.DataDirectory, dataDirectory);
        return template.Database is null ? null : await Backend.CopyDatabaseAsync(template.Database);
    }

    private static async Task<Made> MakeAsync(string backend)
    {
        // Lives as long as the test run: every site of the run is copied from it.
        var folder = new TempFolder("posthorn-e2e-template");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        var data = folder.Sub("data");
        var database = await Backend.NewDatabaseAsync(backend);
        await using var cli = new PosthornServer(data, database); // never started: only its command line is used
        foreach (var (user, admin) in new[] { ("alice", false), ("bob", false), ("carol", false), ("dave", false), ("eve", false), ("root", true) })
        {
            string[] args = ["user", "add", user, "--email", $"{user}@example.com", .. admin ? (string[])["--admin"] : []];
            (await cli.CliAsync(Site.Password + "\n", args)).EnsureSuccess("user add " + user);
        }

        return new Made(data, database);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
