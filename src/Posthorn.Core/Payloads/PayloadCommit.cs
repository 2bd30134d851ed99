namespace Posthorn.Core.Payloads;

/// <summary>
/// One commit as the payload lists it. <see cref="Files"/> holds at most the configured number of
/// files; <see cref="FileCount"/> is the true number changed against the first parent.
/// </summary>
public sealed record PayloadCommit(
    string RawNode,
    IReadOnlyList<string> Parents,
    string Author,
    string RawAuthor,
    string Branch,
    string Message,
    DateTimeOffset AuthorDate,
    IReadOnlyList<PayloadFile> Files,
    int FileCount)
{
    public bool FilesTruncated => FileCount > Files.Count;
}
