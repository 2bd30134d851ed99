namespace Posthorn.EndToEnd.Support;

/// <summary>The real hg client with an isolated configuration (only our hgrc: a fixed identity, never interactive).</summary>
public sealed class HgCli
{
    private readonly Dictionary<string, string> env;

    public HgCli(string home)
    {
        Directory.CreateDirectory(home);
        var hgrc = Path.Combine(home, "hgrc");
        File.WriteAllText(hgrc, "[ui]\nusername = Alice <alice@example.com>\ninteractive = false\n");
        env = new() { ["HGRCPATH"] = hgrc, ["HGPLAIN"] = "1", ["HGENCODING"] = "utf-8", ["HOME"] = home };
    }

    public Task<ProcessResult> TryRunAsync(string workingDirectory, params string[] args) =>
        ProcessRunner.RunAsync("hg", args, workingDirectory, env, timeout: TimeSpan.FromMinutes(5));

    public async Task<string> RunAsync(string workingDirectory, params string[] args) =>
        (await TryRunAsync(workingDirectory, args)).EnsureSuccess("hg " + string.Join(' ', args)).Stdout;

    /// <summary>Writes a file in the working copy and commits it (adding it when new); returns the new changeset's node.</summary>
    public async Task<string> CommitFileAsync(string work, string file, string content, string message)
    {
        await File.WriteAllTextAsync(Path.Combine(work, file), content);
        await RunAsync(work, "commit", "-A", "-m", message);
        return (await RunAsync(work, "log", "-r", ".", "-T", "{node}")).Trim();
    }

    /// <summary>alice/{slug} over HTTP, with <paramref name="user"/>'s credentials in the URL (none when null).</summary>
    public static string Url(Site site, string slug, string? user = "alice") =>
        user is null ? $"{site.Server.BaseUrl}/alice/{slug}" : $"http://{user}:{Site.Password}@127.0.0.1:{site.Server.Port}/alice/{slug}";
}
