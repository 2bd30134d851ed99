using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Posthorn.Git;
using Posthorn.Git.Processes;

namespace Posthorn.Tests.Git;

/// <summary>
/// A temporary directory with an isolated git configuration (own HOME, no system config, a fixed
/// identity) and a way to run the real git CLI in it. Disposing deletes everything.
/// </summary>
public sealed class GitSandbox : IDisposable
{
    public GitSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "posthorn-git-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "home"));
        File.WriteAllText(
            Path.Combine(Root, "home", ".gitconfig"),
            "[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n");
        Runner = new GitRunner(Options.Create(new GitOptions()), NullLogger<GitRunner>.Instance);
    }

    public string Root { get; }

    public GitRunner Runner { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Runs git in <paramref name="directory"/>; throws with stderr unless it exits 0 (or <paramref name="allowFailure"/>).</summary>
    public GitRun Git(string directory, string arguments, string? stdin = null, bool allowFailure = false, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in SplitArguments(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["HOME"] = PathOf("home");
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["GIT_CONFIG_GLOBAL"] = Path.Combine(PathOf("home"), ".gitconfig");
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment.Remove("GIT_DIR");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? "");
        process.StandardInput.Close();
        process.WaitForExit();
        var run = new GitRun(process.ExitCode, stdoutTask.Result, stderrTask.Result);
        return run.ExitCode == 0 || allowFailure ? run : throw new InvalidOperationException($"git {arguments} failed ({run.ExitCode}): {run.Stderr}");
    }

    /// <summary>A work tree with one commit per file name given, in order.</summary>
    public string NewWorkTree(string name, params string[] files)
    {
        var directory = PathOf(name);
        Directory.CreateDirectory(directory);
        Git(directory, "init -q");
        foreach (var file in files)
        {
            Commit(directory, file);
        }

        return directory;
    }

    public string Commit(string workTree, string file, string? content = null, string? message = null)
    {
        var path = Path.Combine(workTree, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content ?? $"{file} {Guid.NewGuid()}\n");
        Git(workTree, $"add -A");
        Git(workTree, "commit -q -F -", stdin: message ?? $"add {file}\n");
        return Git(workTree, "rev-parse HEAD").Stdout.Trim();
    }

    public string RevParse(string directory, string rev) => Git(directory, $"rev-parse {rev}").Stdout.Trim();

    // Arguments are separated by spaces; a quoted "..." argument may contain spaces.
    private static IEnumerable<string> SplitArguments(string arguments)
    {
        var parts = arguments.Split('"');
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 1)
            {
                yield return parts[i];
                continue;
            }

            foreach (var word in parts[i].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                yield return word;
            }
        }
    }

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // .NET cannot name a file whose name is not valid UTF-8 (a ref named in Latin-1 is such a
            // file under refs/heads), so it cannot delete it; rm takes the bytes as they are. A temp
            // directory left behind even so is not a test failure.
            using var rm = Process.Start(new ProcessStartInfo("rm", ["-rf", "--", Root]) { UseShellExecute = false });
            rm?.WaitForExit();
        }
    }
}

public sealed record GitRun(int ExitCode, string Stdout, string Stderr);
