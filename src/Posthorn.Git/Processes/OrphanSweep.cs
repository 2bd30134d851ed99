using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Posthorn.Git.Processes;

/// <summary>
/// Git processes must not outlive the server that started them. Every git child carries
/// <see cref="ServerVariable"/> = "pid:start-time" of its server (inherited by the hooks and the
/// helpers git starts in turn). A server killed with SIGKILL cannot stop its children, so at start-up
/// each server looks through /proc for processes whose server is no longer alive and kills them.
/// (An orphaned receive-pack could not move a ref anyway: its transaction hook finds no server.)
/// Linux only; elsewhere it does nothing.
/// </summary>
public static partial class OrphanSweep
{
    public const string ServerVariable = "POSTHORN_SERVER";

    /// <summary>This process's identity: the pid alone could be reused by another process after a crash.</summary>
    public static string ThisServer { get; } = Identity(Environment.ProcessId) ?? Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    /// <returns>How many orphaned processes were killed.</returns>
    public static int Run(ILogger logger)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
        {
            return 0;
        }

        var killed = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId
                || ServerOf(directory) is not { } server || server == ThisServer || IsAlive(server))
            {
                continue;
            }

            try
            {
                using var orphan = System.Diagnostics.Process.GetProcessById(pid);
                orphan.Kill();
                killed++;
                LogKilled(logger, pid, server);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It ended on its own meanwhile.
            }
        }

        return killed;
    }

    private static string? ServerOf(string processDirectory)
    {
        string environ;
        try
        {
            environ = File.ReadAllText(Path.Combine(processDirectory, "environ"), Encoding.Latin1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        const string Prefix = ServerVariable + "=";
        return environ.Split('\0').FirstOrDefault(v => v.StartsWith(Prefix, StringComparison.Ordinal))?[Prefix.Length..];
    }

    private static bool IsAlive(string server)
    {
        var colon = server.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(server.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Identity(pid) == server;
    }

    /// <summary>"pid:start-time" (field 22 of /proc/pid/stat, in clock ticks since boot), or null when there is no such process.</summary>
    private static string? Identity(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{pid}:{fields[19]}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killed git process {Pid}, orphaned by the earlier server {Server}")]
    private static partial void LogKilled(ILogger logger, int pid, string server);
}
