namespace Posthorn.EndToEnd.Support;

/// <summary>
/// The stock git client, isolated from the machine's configuration (its own HOME, no system config,
/// never prompting), so tests see exactly what a fresh developer machine would do.
/// </summary>
public sealed class GitCli
{
    private readonly Dictionary<string, string> env;

    public GitCli(string home)
    {
        Directory.CreateDirectory(home);
        env = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_AUTHOR_NAME"] = "Test Author",
            ["GIT_AUTHOR_EMAIL"] = "author@example.com",
            ["GIT_COMMITTER_NAME"] = "Test Author",
            ["GIT_COMMITTER_EMAIL"] = "author@example.com",
        };
        File.WriteAllText(Path.Combine(home, ".gitconfig"), "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n[protocol]\n\tversion = 2\n");
    }

    public Task<ProcessResult> TryRunAsync(string workingDirectory, params string[] args) =>
        ProcessRunner.RunAsync("git", args, workingDirectory, env);

    public async Task<string> RunAsync(string workingDirectory, params string[] args) =>
        (await TryRunAsync(workingDirectory, args)).EnsureSuccess("git " + string.Join(' ', args)).Stdout;

    /// <summary>Runs git with <paramref name="stdin"/> as its input; it must succeed.</summary>
    public async Task<string> RunWithInputAsync(string workingDirectory, string stdin, params string[] args) =>
        (await ProcessRunner.RunAsync("git", args, workingDirectory, env, stdin)).EnsureSuccess("git " + string.Join(' ', args)).Stdout;

    /// <summary>A new working repository with one commit per file given.</summary>
    public async Task<string> InitWithCommitsAsync(string path, params string[] files)
    {
        Directory.CreateDirectory(path);
        await RunAsync(path, "init", "-q");
        foreach (var file in files)
        {
            await CommitFileAsync(path, file, $"content of {file}\n", $"Add {file}\n");
        }

        return path;
    }

    public async Task<string> CommitFileAsync(string repo, string file, string content, string message)
    {
        var full = Path.Combine(repo, file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, content);
        await RunAsync(repo, "add", "-A");
        await RunAsync(repo, "commit", "-q", "-m", message.TrimEnd('\n'));
        return (await RunAsync(repo, "rev-parse", "HEAD")).Trim();
    }
}
