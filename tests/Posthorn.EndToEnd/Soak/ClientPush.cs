namespace Posthorn.EndToEnd.Soak;

/// <summary>How one intended ref update ended for the pushing client.</summary>
public enum ClientOutcome
{
    /// <summary>`git push` exited 0 and reported the ref updated.</summary>
    Applied,

    /// <summary>
    /// An attempt failed (the server was killed), and the retry found the ref already where the push
    /// wanted it ("Everything up-to-date", or a deleted branch already gone): something applied it.
    /// </summary>
    AppliedByFailedAttempt,

    /// <summary>Every attempt failed and the ref is not where the push wanted it.</summary>
    GaveUp,
}

/// <summary>One intended ref update by a soak pusher: the ref, the id it should end at (null: deleted), and how it ended.</summary>
public sealed record ClientPush(int Pusher, string Kind, string Ref, string? NewId, int Attempts, ClientOutcome Outcome);
