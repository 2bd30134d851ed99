using System.Globalization;
using Posthorn.Core.Payloads;

namespace Posthorn.Git.Commits;

/// <summary>A commit as read from git log, before its author is mapped to an account.</summary>
internal sealed class LoggedCommit
{
    private readonly List<PayloadFile> files = [];

    private LoggedCommit(string hash, string[] parents, string authorName, string authorEmail, DateTimeOffset authorDate, string message)
    {
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

    public DateTimeOffset AuthorDate { get; }

    public string Message { get; }

    public IReadOnlyList<PayloadFile> Files => files;

    public int FileCount { get; private set; }

    /// <param name="fields">%H, %P, %an, %ae, %at, %ai, %B.</param>
    public static LoggedCommit FromFields(string[] fields)
    {
        var parents = fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var seconds = long.Parse(fields[4], CultureInfo.InvariantCulture);
        return new LoggedCommit(fields[0], parents, fields[2], fields[3], ParseAuthorDate(seconds, fields[5]), fields[6]);
    }

    public void AddFile(char status, string path, int maxFiles)
    {
        FileCount++;
        if (files.Count < maxFiles)
        {
            // A→added, D→removed; M (content) and T (type change, e.g. file↔symlink) → modified.
            files.Add(new PayloadFile(path, status switch { 'A' => "added", 'D' => "removed", _ => "modified" }));
        }
    }

    /// <summary>
    /// The author's instant in the author's own offset, taken from %ai's "+hhmm" suffix. git
    /// accepts offsets beyond ±14:00 that DateTimeOffset cannot hold; those fall back to UTC.
    /// </summary>
    private static DateTimeOffset ParseAuthorDate(long seconds, string iso)
    {
        var utc = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var zone = iso.Length >= 5 ? iso[^5..] : "";
        if (zone.Length == 5 && zone[0] is '+' or '-'
            && int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(zone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            var offset = new TimeSpan(hours, minutes, 0) * (zone[0] == '-' ? -1 : 1);
            if (offset.Duration() <= TimeSpan.FromHours(14))
            {
                return utc.ToOffset(offset);
            }
        }

        return utc;
    }
}
