using System.Diagnostics;

namespace Posthorn.Git;

/// <summary>Where repositories live and how git is run. Configuration section "Git".</summary>
public sealed class GitOptions
{
    /// <summary>Directory holding {owner}/{slug}.git bare repositories. Default "repositories" (relative to the working directory).</summary>
    public string RepositoriesRoot { get; set; } = "repositories";

    /// <summary>The git executable. Default "git" (looked up on PATH).</summary>
    public string GitPath { get; set; } = "git";

    /// <summary>Largest smart HTTP request body accepted, after gzip decoding. Default 2 GiB; 1 KiB–1 TiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// Largest fetch or clone request body (upload-pack's negotiation: wants and haves), after gzip
    /// decoding. Default 10 MiB, as git http-backend's own buffer; 1 KiB–1 TiB, and never more than <see cref="MaxRequestBodyBytes"/>.
    /// A negotiation never needs more, and a small gzip body that expands to gigabytes of "want" lines
    /// would otherwise keep git busy for minutes.
    /// </summary>
    public long MaxFetchRequestBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Longest wait for another process's receive-pack lock on the same repository. Default 60 s; 1 s–1 h.</summary>
    public TimeSpan ReceiveLockTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Run <c>git gc --auto</c> on a repository after this many accepted pushes (git itself checks after every push). Default 20; 1–10000.</summary>
    public int GcCheckEveryPushes { get; set; } = 20;

    /// <summary>
    /// How often every repository's refs on disk are compared with the recorded ones, and anything
    /// moved behind Posthorn's back is announced as a recovered push (also done at start-up and before
    /// every push). Default 5 minutes; 1 s–1 day.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most git processes serving HTTP requests at once, over all clients. Default 32; 1–10000.</summary>
    public int MaxConcurrentProcesses { get; set; } = 32;

    /// <summary>
    /// Most of those one client (remote address) may hold. Default 8; 1–<see cref="MaxConcurrentProcesses"/>.
    /// Behind a reverse proxy every client has the proxy's address: raise it to MaxConcurrentProcesses there.
    /// </summary>
    public int MaxProcessesPerClient { get; set; } = 8;

    /// <summary>How long a git request waits for a free process before it is answered 503 with Retry-After. Default 5 s; 0 (no waiting)–5 min.</summary>
    public TimeSpan ProcessQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Slowest a git request body may arrive, in bytes per second, once <see cref="MinRequestBodyGracePeriod"/>
    /// has passed; a slower client is cut off, so a trickler cannot keep git running. Default 1024; 0 turns the check off.
    /// </summary>
    public int MinRequestBodyBytesPerSecond { get; set; } = 1024;

    /// <summary>Time a git request body gets before <see cref="MinRequestBodyBytesPerSecond"/> applies. Default 10 s; 2 s–10 min.</summary>
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest a push (receive-pack request) may take, lock wait included; past it the connection is
    /// cut, so a slow writer cannot hold the repository's receive lock for ever. Default 10 min; 1 s–24 h.
    /// </summary>
    public TimeSpan MaxReceiveDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Scheduling priority of the git and Mercurial processes Posthorn starts: <c>BelowNormal</c>
    /// (nice 10 on Linux, the default), <c>Idle</c> (nice 19) or <c>Normal</c> (the server's own).
    /// When pushes and clones fill every core, a lower priority lets the server's threads (recording a
    /// push, sending its POST, answering pages) run first; on a machine with spare cores it changes nothing.
    /// </summary>
    public ProcessPriorityClass ProcessPriority { get; set; } = ProcessPriorityClass.BelowNormal;

    public void Validate()
    {
        // Raising a child above the server needs privileges, and would starve the very threads this protects.
        if (ProcessPriority is not (ProcessPriorityClass.Normal or ProcessPriorityClass.BelowNormal or ProcessPriorityClass.Idle))
        {
            throw new ArgumentOutOfRangeException(nameof(ProcessPriority), ProcessPriority, "Git:ProcessPriority must be Normal, BelowNormal or Idle.");
        }

        if (MaxConcurrentProcesses is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentProcesses), MaxConcurrentProcesses, "Git:MaxConcurrentProcesses must be between 1 and 10000.");
        }

        if (MaxProcessesPerClient < 1 || MaxProcessesPerClient > MaxConcurrentProcesses)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxProcessesPerClient), MaxProcessesPerClient, "Git:MaxProcessesPerClient must be between 1 and Git:MaxConcurrentProcesses.");
        }

        if (ProcessQueueTimeout < TimeSpan.Zero || ProcessQueueTimeout > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentOutOfRangeException(nameof(ProcessQueueTimeout), ProcessQueueTimeout, "Git:ProcessQueueTimeout must be between 0 and 5 minutes.");
        }

        if (MinRequestBodyBytesPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinRequestBodyBytesPerSecond), MinRequestBodyBytesPerSecond, "Git:MinRequestBodyBytesPerSecond must be 0 (off) or more.");
        }

        // Kestrel checks data rates once a second, so a shorter grace period could not be honoured.
        if (MinRequestBodyGracePeriod < TimeSpan.FromSeconds(2) || MinRequestBodyGracePeriod > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(MinRequestBodyGracePeriod), MinRequestBodyGracePeriod, "Git:MinRequestBodyGracePeriod must be between 2 seconds and 10 minutes.");
        }

        if (MaxReceiveDuration < TimeSpan.FromSeconds(1) || MaxReceiveDuration > TimeSpan.FromHours(24))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxReceiveDuration), MaxReceiveDuration, "Git:MaxReceiveDuration must be between 1 second and 24 hours.");
        }

        if (GcCheckEveryPushes is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(GcCheckEveryPushes), GcCheckEveryPushes, "Git:GcCheckEveryPushes must be between 1 and 10000.");
        }

        if (ReconcileInterval < TimeSpan.FromSeconds(1) || ReconcileInterval > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ReconcileInterval), ReconcileInterval, "Git:ReconcileInterval must be between 1 second and 1 day.");
        }

        if (string.IsNullOrWhiteSpace(RepositoriesRoot))
        {
            throw new ArgumentException("Git:RepositoriesRoot must be set.", nameof(RepositoriesRoot));
        }

        if (string.IsNullOrWhiteSpace(GitPath))
        {
            throw new ArgumentException("Git:GitPath must be set.", nameof(GitPath));
        }

        if (MaxRequestBodyBytes is < 1024 or > 1L << 40)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRequestBodyBytes), MaxRequestBodyBytes, "Git:MaxRequestBodyBytes must be between 1 KiB and 1 TiB.");
        }

        if (MaxFetchRequestBytes is < 1024 or > 1L << 40)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFetchRequestBytes), MaxFetchRequestBytes, "Git:MaxFetchRequestBytes must be between 1 KiB and 1 TiB.");
        }

        if (ReceiveLockTimeout < TimeSpan.FromSeconds(1) || ReceiveLockTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveLockTimeout), ReceiveLockTimeout, "Git:ReceiveLockTimeout must be between 1 second and 1 hour.");
        }
    }
}
