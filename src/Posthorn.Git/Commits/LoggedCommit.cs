using System.Text;
using Posthorn.Core.Payloads;

namespace Posthorn.Git.Commits;

/// <summary>A commit as read from git log, before its author is mapped to an account.</summary>
internal sealed class LoggedCommit
{
    private readonly List<PayloadFile> files = [];

    /// <summary>The tokens before the diff: %H, %P, %an, %ae, %at, %ad, %T, %cn, %ce, %ct, %cd, %B.</summary>
    public const int FieldCount = 12;

    private LoggedCommit(string hash, string[] parents, string authorName, string authorEmail, PayloadDate authorDate, string message, bool messageTruncated)
    {
        MessageTruncated = messageTruncated;
        TextBytes = Encoding.UTF8.GetByteCount(message) + Encoding.UTF8.GetByteCount(authorName) + Encoding.UTF8.GetByteCount(authorEmail);
        Hash = hash;
        Parents = parents;
        AuthorName = authorName;
        AuthorEmail = authorEmail;
        AuthorDate = authorDate;
        Message = message;
    }

    public string Hash { get; }

    public string[] Parents { get; }

    public string AuthorName { get; }

    public string AuthorEmail { get; }

    public PayloadDate AuthorDate { get; }

    public string Message { get; }

    public string TreeId { get; private init; } = "";

    public string CommitterName { get; private init; } = "";

    public string CommitterEmail { get; private init; } = "";

    public PayloadDate? CommitterDate { get; private init; }

    /// <summary>Whether <see cref="Message"/> was cut to the configured cap.</summary>
    public bool MessageTruncated { get; }

    /// <summary>
    /// UTF-8 bytes of the message, author and listed paths: a lower bound on what this commit adds
    /// to the document (each of those bytes is written at least once), used to drop early the
    /// commits that can no longer fit.
    /// </summary>
    public long TextBytes { get; private set; }

    public IReadOnlyList<PayloadFile> Files => files;

    public int FileCount { get; private set; }

    /// <param name="fields">%H, %P, %an, %ae, %at, %ad (--date=raw), %T, %cn, %ce, %ct, %cd (--date=raw), %B.</param>
    public static LoggedCommit FromFields(string[] fields, bool messageTruncated)
    {
        var parents = fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new LoggedCommit(fields[0], parents, fields[2], fields[3], PayloadDate.FromGit(fields[4], fields[5]), fields[11], messageTruncated)
        {
            TreeId = fields[6],
            CommitterName = fields[7],
            CommitterEmail = fields[8],
            CommitterDate = PayloadDate.FromGit(fields[9], fields[10]),
        };
    }

    public void AddFile(char status, string path, int maxFiles)
    {
        FileCount++;
        if (files.Count < maxFiles)
        {
            // A→added, D→removed; M (content) and T (type change, e.g. file↔symlink) → modified.
            files.Add(new PayloadFile(path, status switch { 'A' => "added", 'D' => "removed", _ => "modified" }));
            TextBytes += Encoding.UTF8.GetByteCount(path);
        }
    }
}
