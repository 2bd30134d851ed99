using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Posthorn.Git.Processes;

/// <summary>
/// Runs the git CLI with stdin, stdout and stderr all streamed concurrently (the deadlock that
/// STYLE.md warns about comes from doing them one after another). Cancelling kills the whole
/// process tree: receive-pack forks index-pack, which must not outlive an aborted request.
/// Thread-safe; register as a singleton.
/// </summary>
public sealed partial class GitRunner(IOptions<GitOptions> options, ILogger<GitRunner> logger)
{
    // Variables that would point git somewhere other than the directory we chose.
    private static readonly string[] InheritedVariablesToClear =
        ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PROTOCOL"];

    public async Task<GitResult> RunAsync(GitInvocation invocation, CancellationToken ct)
    {
        using var process = new Process { StartInfo = CreateStartInfo(invocation) };
        process.Start();
        LowerPriority(process);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var kill = failed.Token.Register(() => TryKill(process));

        var stderr = new StderrTail();
        var stderrTask = stderr.DrainAsync(process.StandardError.BaseStream, CancellationToken.None);
        var stdinTask = KillOnFailure(WriteStdinAsync(process, invocation.Stdin, failed.Token), failed);
        var stdoutTask = KillOnFailure(ReadStdoutAsync(process, invocation.Stdout, failed.Token), failed);
        try
        {
            await Task.WhenAll(stdinTask, stdoutTask).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, reap the process and its stderr so no pipe or zombie is left behind.
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await stderrTask.ConfigureAwait(false);
        }

        ct.ThrowIfCancellationRequested();
        var result = new GitResult(process.ExitCode, stderr.ToString());
        if (!result.Succeeded)
        {
            LogGitFailed(logger, invocation.Arguments[0], result.ExitCode, result.StderrTail);
        }

        return result;
    }

    /// <summary>Runs a command that must succeed, collecting nothing but its exit status.</summary>
    public async Task RunCheckedAsync(GitInvocation invocation, CancellationToken ct)
    {
        var result = await RunAsync(invocation, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new GitCommandException(invocation.Arguments[0], result);
        }
    }

    private ProcessStartInfo CreateStartInfo(GitInvocation invocation)
    {
        var info = new ProcessStartInfo(invocation.Program ?? options.Value.GitPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = invocation.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in invocation.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in InheritedVariablesToClear)
        {
            info.Environment.Remove(name);
        }

        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment[OrphanSweep.ServerVariable] = OrphanSweep.ThisServer;
        foreach (var (name, value) in invocation.Environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    // Set after the start (.NET has no way to start a child at another priority); the children git forks
    // later (index-pack, pack-objects: the bulk of a push's or clone's CPU) inherit it, since git
    // starts them only once it has read its input, which is written after this.
    private void LowerPriority(Process process)
    {
        var priority = options.Value.ProcessPriority;
        if (priority == ProcessPriorityClass.Normal || OwnNiceness.Value >= NicenessOf(priority))
        {
            // Already as low as asked: a server started under nice keeps its children there. Setting
            // it anyway would raise them above the server when it runs as root (.NET sets the value, not a step).
            return;
        }

        try
        {
            process.PriorityClass = priority;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The process already exited, or the system refused: it then simply runs at the server's priority.
        }
    }

    // The values .NET gives these classes on Linux; elsewhere the niceness reads as 0 and the class is set.
    private static int NicenessOf(ProcessPriorityClass priority) => priority == ProcessPriorityClass.Idle ? 19 : 10;

    // Field 19 of /proc/self/stat, after the command name in parentheses (which may hold spaces). Read
    // once: the server's own priority does not change while it runs.
    private static readonly Lazy<int> OwnNiceness = new(() =>
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return 0;
        }
    });

    private static async Task WriteStdinAsync(Process process, Func<Stream, CancellationToken, Task>? write, CancellationToken ct)
    {
        var stdin = process.StandardInput.BaseStream;
        try
        {
            if (write is not null)
            {
                await write(stdin, ct).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // git stopped reading (it exited, or it rejected the request and said so on stdout);
            // its exit code is the verdict. A client that vanished mid-body also lands here: git
            // then sees a truncated pack and applies nothing.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
                // Closing a pipe whose reader is gone can fail; there is nothing left to tell git.
            }
        }
    }

    private static async Task ReadStdoutAsync(Process process, Func<Stream, CancellationToken, Task>? read, CancellationToken ct)
    {
        var stdout = process.StandardOutput.BaseStream;
        if (read is null)
        {
            await stdout.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
            return;
        }

        await read(stdout, ct).ConfigureAwait(false);

        // The consumer may stop early (it has what it needs); git must still be able to finish writing.
        await stdout.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
    }

    private static async Task KillOnFailure(Task task, CancellationTokenSource failed)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "git {Command} exited with {ExitCode}: {StderrTail}")]
    private static partial void LogGitFailed(ILogger logger, string command, int exitCode, string stderrTail);
}
