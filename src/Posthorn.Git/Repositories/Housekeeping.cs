using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Repositories;

/// <summary>
/// Keeps repositories packed. git receive-pack would run <c>git gc --auto</c> after every push: one
/// more process per push, and a process costs milliseconds, which adds up in a burst. Posthorn
/// turns that off (<see cref="SmartHttp.ReceivePackConfig"/>) and runs the same check itself every
/// Git:GcCheckEveryPushes accepted pushes per repository, in the background, one at a time per
/// repository. gc is safe next to concurrent pushes; a count lost on restart only delays a check.
/// Thread-safe; register as a singleton.
/// </summary>
public sealed partial class Housekeeping(GitRunner runner, IOptions<GitOptions> options, ILogger<Housekeeping> logger)
{
    private readonly ConcurrentDictionary<string, int> pushesSinceCheck = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> running = new(StringComparer.Ordinal);

    /// <summary>Counts an applied push; every Nth one starts a background <c>gc --auto</c>.</summary>
    public void PushApplied(string gitDirectory)
    {
        var count = pushesSinceCheck.AddOrUpdate(gitDirectory, 1, (_, n) => n + 1);
        if (count < options.Value.GcCheckEveryPushes)
        {
            return;
        }

        pushesSinceCheck[gitDirectory] = 0;
        var gate = new TaskCompletionSource();
        if (running.TryAdd(gitDirectory, gate.Task))
        {
            _ = CheckAsync(gitDirectory, gate);
        }
    }

    /// <summary>Waits for the checks under way (for tests and orderly shutdown).</summary>
    public Task IdleAsync() => Task.WhenAll(running.Values);

    private async Task CheckAsync(string gitDirectory, TaskCompletionSource gate)
    {
        try
        {
            // autoDetach off: the check is already in the background, and a detached gc would escape the runner.
            await runner.RunCheckedAsync(
                new GitInvocation(["gc", "--auto", "--quiet"])
                {
                    WorkingDirectory = gitDirectory,
                    Environment = new Dictionary<string, string>(GitEnvironment.ForRepository(gitDirectory))
                    {
                        ["GIT_CONFIG_COUNT"] = "1",
                        ["GIT_CONFIG_KEY_0"] = "gc.autoDetach",
                        ["GIT_CONFIG_VALUE_0"] = "false",
                    },
                },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogGcFailed(logger, e, gitDirectory);
        }
        finally
        {
            running.TryRemove(gitDirectory, out _);
            gate.SetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Housekeeping (git gc --auto) failed for {GitDirectory}; the repository still works, only less packed")]
    private static partial void LogGcFailed(ILogger logger, Exception exception, string gitDirectory);
}
