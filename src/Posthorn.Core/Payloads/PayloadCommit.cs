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
}
