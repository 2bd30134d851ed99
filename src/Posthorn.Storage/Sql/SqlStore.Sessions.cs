using Posthorn.Core.Accounts;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore : ISessionStore
{
    public Task StartSessionAsync(long accountId, string sessionHash, DateTimeOffset now, DateTimeOffset forgetBefore, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            await SqlCommands.ExecuteAsync(c, tx, "DELETE FROM sign_in_sessions WHERE started_at < @before", ct, ("@before", forgetBefore)).ConfigureAwait(false);
            return await SqlCommands.ExecuteAsync(c, tx, "INSERT INTO sign_in_sessions (session_hash, account_id, started_at) VALUES (@h, @a, @now)",
                ct, ("@h", sessionHash), ("@a", accountId), ("@now", now)).ConfigureAwait(false);
        }, ct);

    public async Task<bool> IsSessionLiveAsync(string sessionHash, DateTimeOffset notBefore, CancellationToken ct) =>
        await ReadAsync(async c => await SqlCommands.ScalarAsync(c, null, "SELECT 1 FROM sign_in_sessions WHERE session_hash = @h AND started_at >= @nb",
            ct, ("@h", sessionHash), ("@nb", notBefore)).ConfigureAwait(false) is not null, ct).ConfigureAwait(false);

    public Task<bool> EndSessionAsync(string sessionHash, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await SqlCommands.ExecuteAsync(c, tx, "DELETE FROM sign_in_sessions WHERE session_hash = @h", ct, ("@h", sessionHash)).ConfigureAwait(false) == 1, ct);
}
