using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Posthorn.EndToEnd.Support;

/// <summary>
/// The real posthorn executable serving on 127.0.0.1, started as a separate process so tests can
/// SIGKILL and restart it. Its output goes to a log file kept beside the data for post-mortems.
/// </summary>
public sealed class PosthornServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> env;
    private readonly string[] extraArgs;
    private Process? process;

    public PosthornServer(string dataDirectory, string? database = null, IDictionary<string, string>? env = null, params string[] extraArgs)
    {
        DataDirectory = dataDirectory;
        Database = database;
        this.env = new Dictionary<string, string>(env ?? new Dictionary<string, string>());
        this.extraArgs = extraArgs;
        Port = FreePort.Next();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string DataDirectory { get; }

    public string? Database { get; }

    /// <summary>Whether to pass --allow-private-targets (default true: tests deliver to loopback receivers). Target-safety tests turn it off.</summary>
    public bool AllowPrivateTargets { get; init; } = true;

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public HttpClient Http { get; }

    public string LogPath => Path.Combine(DataDirectory, $"server-{Port}.log");

    public int ProcessId => process?.Id ?? throw new InvalidOperationException("not running");

    public static async Task<PosthornServer> StartAsync(string dataDirectory, string? database = null, IDictionary<string, string>? env = null, params string[] extraArgs)
    {
        var server = new PosthornServer(dataDirectory, database, env, extraArgs);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (InterruptIgnored())
        {
            // A test run started in the background without job control ignores SIGINT, and a child
            // inherits that (the server would shrug off the INT the stop tests send, as a daemon
            // should): perl, which Debian always has, puts the default back before it execs dotnet.
            start.FileName = "perl";
            foreach (var arg in (string[])["-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec: $!\"", "--", "dotnet"])
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in (string[])[RepoRoot.ServerDll, "serve", .. CommonArgs(), "--urls", BaseUrl, .. (AllowPrivateTargets ? (string[])["--allow-private-targets"] : []), .. extraArgs])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilHealthyAsync();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; whatever is not durable is lost.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGKILL to the server process alone: its git children are orphaned, as when an operator kills -9 the server's pid.</summary>
    public async Task KillServerOnlyAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status).</summary>
    private static bool InterruptIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }

    /// <summary>Sends a signal (e.g. "TERM", "INT") as a service manager would and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> SignalAndWaitAsync(string signal, TimeSpan timeout)
    {
        var running = process ?? throw new InvalidOperationException("not running");
        (await ProcessRunner.RunAsync("kill", ["-s", signal, running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])).EnsureSuccess("kill -s " + signal);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await running.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server did not exit within {timeout} of SIG{signal}; its output so far:\n{Log()}");
        }

        return running.ExitCode;
    }

    public Task<ProcessResult> CliAsync(string? stdin, params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [RepoRoot.ServerDll, .. args, .. CommonArgs()], env: env, stdin: stdin);

    /// <summary>Peak resident memory of the server process so far (VmHWM), in bytes.</summary>
    public long PeakMemoryBytes()
    {
        var line = File.ReadLines($"/proc/{ProcessId}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>
    /// The log once it contains <paramref name="text"/>, or as it is after a generous deadline: the
    /// server's console logger writes on its own thread, so a line can trail the event it reports.
    /// </summary>
    public Task<string> LogContainingAsync(string text) => LogContainingAsync(text, 1);

    /// <summary>The log once it holds <paramref name="text"/> at least <paramref name="times"/> times (or after a 60 s deadline).</summary>
    public async Task<string> LogContainingAsync(string text, int times)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Occurrences(Log(), text) < times && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return Log();
    }

    public static int Occurrences(string log, string text)
    {
        var count = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));

    public string GitUrl(string owner, string slug, string? user = null, string? secret = null) =>
        user is null ? $"{BaseUrl}/{owner}/{slug}.git" : $"http://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(secret!)}@127.0.0.1:{Port}/{owner}/{slug}.git";

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
        process?.Dispose();
    }

    private string[] CommonArgs() => Database is null ? ["--data", DataDirectory] : ["--data", DataDirectory, "--database", Database];

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"posthorn exited with {process.ExitCode} during start:\n{Log()}");
            }

            try
            {
                if ((await Http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (System.Net.Sockets.SocketException)
            {
                // A connection reset as it was made (seen while the server was still binding its
                // port) surfaces from HttpClient unwrapped: not ready yet, like a refused one.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"posthorn did not become ready:\n{Log()}");
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
