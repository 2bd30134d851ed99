namespace Posthorn.Core.Accounts;

/// <summary>
/// Browser sign-in sessions, kept on the server so that signing out ends them everywhere: a copied
/// cookie names a session that no longer exists. Only a hash of each session id is stored.
/// </summary>
public interface ISessionStore
{
    /// <summary>Records a new session and forgets sessions started before <paramref name="forgetBefore"/> (they have expired).</summary>
    Task StartSessionAsync(long accountId, string sessionHash, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken ct);

    /// <summary>Whether the session exists and started at or after <paramref name="notBefore"/>.</summary>
    Task<bool> IsSessionLiveAsync(string sessionHash, DateTimeOffset notBefore, CancellationToken ct);

    /// <returns>false when there was no such session.</returns>
    Task<bool> EndSessionAsync(string sessionHash, CancellationToken ct);
}
