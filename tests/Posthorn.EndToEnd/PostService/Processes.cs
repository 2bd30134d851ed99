using System.Diagnostics;

namespace Posthorn.EndToEnd.PostService;

/// <summary>Processes on this machine, seen through /proc.</summary>
public static class Processes
{
    /// <summary>Pids whose command line contains every one of <paramref name="parts"/>.</summary>
    public static IReadOnlyList<int> Matching(params string[] parts)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (parts.All(p => commandLine.Contains(p, StringComparison.Ordinal)))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // It exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Polls (bounded) until no process matches.</summary>
    public static async Task WaitUntilGoneAsync(TimeSpan timeout, params string[] parts)
    {
        var clock = Stopwatch.StartNew();
        while (Matching(parts).Count > 0)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"processes matching '{string.Join(' ', parts)}' are still running");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls (bounded) until <paramref name="path"/> exists.</summary>
    public static async Task WaitForFileAsync(string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{path} never appeared");
            }

            await Task.Delay(50);
        }
    }
}
