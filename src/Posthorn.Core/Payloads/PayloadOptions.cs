namespace Posthorn.Core.Payloads;

/// <summary>
/// Bounds that keep a huge push's payload small, in memory, in storage and on the wire.
/// Configuration section "Payload".
/// </summary>
public sealed class PayloadOptions
{
    /// <summary>Most commits listed in one payload (the newest ones, oldest first). Default 200; 1–100,000.</summary>
    public int MaxCommits { get; set; } = 200;

    /// <summary>Most files listed for one commit. Default 1,000; 1–100,000.</summary>
    public int MaxFilesPerCommit { get; set; } = 1000;

    /// <summary>
    /// Most UTF-8 bytes of one commit message; a longer message is cut on a character boundary and
    /// flagged <c>message_truncated</c>. Default 64 KiB (65,536); 1 KiB–16 MiB.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Most bytes of the whole document as POSTed in either format (the form encoding of
    /// bitbucket-post is the larger, so that is what is measured) and as stored. The oldest listed
    /// commits are dropped until it fits, then, if need be, the last ref changes. Default 256 KiB
    /// (262,144, Bitbucket Cloud's own webhook payload limit); 16 KiB–64 MiB.
    /// </summary>
    public int MaxBytes { get; set; } = 256 * 1024;

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

        if (MaxMessageBytes is < 1024 or > 16 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageBytes), MaxMessageBytes, "Payload:MaxMessageBytes must be between 1024 and 16777216.");
        }

        if (MaxBytes is < 16 * 1024 or > 64 * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "Payload:MaxBytes must be between 16384 and 67108864.");
        }
    }
}
