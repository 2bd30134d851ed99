using System.Diagnostics;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// SIGKILLs the server process alone — not its children, as `kill -9 PID` would — and restarts it on
/// the same data and port. Pushers that lost their server wait on <see cref="WhenRunningAsync"/>.
/// </summary>
public sealed class ServerKills(PosthornServer server, BusyHook hook)
{
    private readonly Lock gate = new();
    private TaskCompletionSource running = Completed();

    /// <summary>Kills that found a push held inside receive-pack.</summary>
    public int LandedInReceivePack { get; private set; }

    public int Done { get; private set; }

    public Task WhenRunningAsync()
    {
        lock (gate)
        {
            return running.Task;
        }
    }

    /// <summary>Arms the hook, waits (up to <paramref name="lookout"/>) for a push held in receive-pack, kills the server, restarts it.</summary>
    public async Task KillAndRestartAsync(TimeSpan lookout)
    {
        hook.Arm();
        var watch = Stopwatch.StartNew();
        while (!hook.IsBusy && watch.Elapsed < lookout)
        {
            await Task.Delay(10);
        }

        hook.Disarm();

        lock (gate)
        {
            running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        if (hook.IsBusy)
        {
            LandedInReceivePack++;
        }

        using (var process = Process.GetProcessById(server.ProcessId))
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }

        Done++;
        await server.StartAsync();
        lock (gate)
        {
            running.SetResult();
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
