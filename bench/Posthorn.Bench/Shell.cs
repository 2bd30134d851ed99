using System.Diagnostics;

namespace Posthorn.Bench;

/// <summary>Runs tools (git, mostly) with stdout and stderr drained asynchronously.</summary>
public static class Shell
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? env = null, Func<Stream, Task>? stdin = null) =>
        System.Text.Encoding.UTF8.GetString(await RunBytesAsync(file, args, workingDirectory, env, stdin));

    public static async Task<byte[]> RunBytesAsync(string file, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? env = null, Func<Stream, Task>? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var buffer = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(buffer);
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await stdin(process.StandardInput.BaseStream);
            try
            {
                process.StandardInput.Close();
            }
            catch (ObjectDisposedException)
            {
                // The callback closed it already.
            }
        }

        await stdout;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}: {await stderr}");
        }

        return buffer.ToArray();
    }

    public static Task<string> GitAsync(string? directory, params string[] args) => RunAsync("git", args, directory);

    /// <summary>Wall-clock seconds of one git command.</summary>
    public static async Task<double> TimeGitAsync(string? directory, IDictionary<string, string>? env, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        await RunAsync("git", args, directory, env);
        return watch.Elapsed.TotalSeconds;
    }
}
