namespace Posthorn.Core.Payloads;

/// <summary>
/// One commit as the payload lists it. <see cref="Files"/> holds at most the configured number of
/// files; <see cref="FileCount"/> is the true number changed against the first parent.
/// <see cref="Message"/> is cut to the configured bytes when <see cref="MessageTruncated"/>.
/// <see cref="Revision"/> is Mercurial's local revision number (null for git, which has none).
/// </summary>
public sealed record PayloadCommit(
    string RawNode,
    IReadOnlyList<string> Parents,
    string Author,
    string RawAuthor,
    string Branch,
    string Message,
    bool MessageTruncated,
    PayloadDate AuthorDate,
    IReadOnlyList<PayloadFile> Files,
    int FileCount,
    long? Revision = null)
{
    public bool FilesTruncated => FileCount > Files.Count;

    /// <summary>The author's name as git stores it (<see cref="Author"/> is the account's username when the e-mail is known).</summary>
    public string AuthorName { get; init; } = "";

    public string AuthorEmail { get; init; } = "";

    /// <summary>The Posthorn account whose e-mail is the author's, or null.</summary>
    public string? AuthorUsername { get; init; }

    /// <summary>The commit's tree id (GitHub's <c>tree_id</c>); "" when the source does not have one (Mercurial).</summary>
    public string TreeId { get; init; } = "";

    public string CommitterName { get; init; } = "";

    public string CommitterEmail { get; init; } = "";

    public string? CommitterUsername { get; init; }

    /// <summary>The committer date; the author date when the source records only one.</summary>
    public PayloadDate? CommitterDate { get; init; }
}
