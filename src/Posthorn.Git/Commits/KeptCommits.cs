namespace Posthorn.Git.Commits;

/// <summary>
/// The commits a listing keeps, oldest first: an older commit is dropped once the text of the
/// newer ones alone reaches the budget, since the document's cap would drop it anyway.
/// </summary>
internal sealed class KeptCommits(long budget, string oldTip)
{
    private readonly Queue<LoggedCommit> commits = new();
    private long textBytes;
    private int listed;
    private bool extendsOldTip;

    public void Add(LoggedCommit commit)
    {
        listed++;
        extendsOldTip |= commit.Parents.Contains(oldTip, StringComparer.Ordinal);
        commits.Enqueue(commit);
        textBytes += commit.TextBytes;
        while (commits.Count > 1 && textBytes - commits.Peek().TextBytes >= budget)
        {
            textBytes -= commits.Dequeue().TextBytes;
        }
    }

    public CommitListing ToListing() => new([.. commits], listed, extendsOldTip);
}
