using Posthorn.Core.Accounts;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    public Task<AccessToken> CreateTokenAsync(long accountId, string name, string prefix, string tokenHash, DateTimeOffset now, CancellationToken ct) =>
        WriteUniqueAsync("An access token with this hash already exists.", async (c, tx) =>
        {
            var id = (long)(await SqlCommands.ScalarAsync(c, tx,
                "INSERT INTO access_tokens (account_id, name, prefix, token_hash, created_at) VALUES (@a, @n, @p, @h, @now) RETURNING id",
                ct, ("@a", accountId), ("@n", name), ("@p", prefix), ("@h", tokenHash), ("@now", now)).ConfigureAwait(false))!;
            return new AccessToken(id, accountId, name, prefix, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), null);
        }, ct);

    public Task<(Account Account, AccessToken Token)?> UseTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync<(Account, AccessToken)?>(async (c, tx) =>
        {
            var updated = await SqlCommands.ExecuteAsync(c, tx, "UPDATE access_tokens SET last_used_at = @now WHERE token_hash = @h", ct, ("@now", now), ("@h", tokenHash)).ConfigureAwait(false);
            if (updated == 0)
            {
                return null;
            }

            var rows = await SqlCommands.ListAsync(c, tx,
                $"SELECT {AccountColumns}, {TokenColumns} FROM access_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = @h",
                r => (ReadAccount(r), ReadToken(r, 6)), ct, ("@h", tokenHash)).ConfigureAwait(false);
            return rows.Count == 0 ? null : rows[0];
        }, ct);

    public async Task<IReadOnlyList<AccessToken>> ListTokensAsync(long accountId, CancellationToken ct) =>
        await ReadAsync(c => SqlCommands.ListAsync(c, null, $"SELECT {TokenColumns} FROM access_tokens t WHERE t.account_id = @a ORDER BY t.id", r => ReadToken(r), ct, ("@a", accountId)), ct).ConfigureAwait(false);

    public Task<bool> RevokeTokenAsync(long accountId, long tokenId, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await SqlCommands.ExecuteAsync(c, tx, "DELETE FROM access_tokens WHERE id = @id AND account_id = @a", ct, ("@id", tokenId), ("@a", accountId)).ConfigureAwait(false) == 1, ct);
}
