namespace Posthorn.Core.Payloads;

/// <summary>Bounds that keep a huge push's payload small. Configuration section "Payload".</summary>
public sealed class PayloadOptions
{
    /// <summary>Most commits listed in one payload (the newest ones, oldest first). Default 200; 1–100,000.</summary>
    public int MaxCommits { get; set; } = 200;

    /// <summary>Most files listed for one commit. Default 1,000; 1–100,000.</summary>
    public int MaxFilesPerCommit { get; set; } = 1000;

    public void Validate()
    {
        if (MaxCommits is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCommits), MaxCommits, "Payload:MaxCommits must be between 1 and 100000.");
        }

        if (MaxFilesPerCommit is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFilesPerCommit), MaxFilesPerCommit, "Payload:MaxFilesPerCommit must be between 1 and 100000.");
        }
    }
}
