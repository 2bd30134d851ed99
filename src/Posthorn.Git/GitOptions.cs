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

    public void Validate()
    {
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

        if (ReceiveLockTimeout < TimeSpan.FromSeconds(1) || ReceiveLockTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveLockTimeout), ReceiveLockTimeout, "Git:ReceiveLockTimeout must be between 1 second and 1 hour.");
        }
    }
}
