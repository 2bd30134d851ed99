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

    /// <summary>How stale "last used" may get: stamping every git request would turn each fetch into a write transaction.</summary>
    public static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    public async Task<(Account Account, AccessToken Token)?> UseTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await ReadAsync(c => SqlCommands.ListAsync(c, null,
            $"SELECT {AccountColumns}, {TokenColumns} FROM access_tokens t JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = @h",
            r => (ReadAccount(r), ReadToken(r, 6)), ct, ("@h", tokenHash)), ct).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var (account, token) = rows[0];
        if (token.LastUsedAt is { } last && now - last < LastUseResolution)
        {
            return (account, token);
        }

        // Conditional, so concurrent requests with the same token stamp it once.
        await WriteAsync(async (c, tx) => await SqlCommands.ExecuteAsync(c, tx,
            "UPDATE access_tokens SET last_used_at = @now WHERE token_hash = @h AND (last_used_at IS NULL OR last_used_at < @stale)",
            ct, ("@now", now), ("@h", tokenHash), ("@stale", now - LastUseResolution)).ConfigureAwait(false), ct).ConfigureAwait(false);
        return (account, token with { LastUsedAt = now });
    }

    public async Task<IReadOnlyList<AccessToken>> ListTokensAsync(long accountId, CancellationToken ct) =>
        await ReadAsync(c => SqlCommands.ListAsync(c, null, $"SELECT {TokenColumns} FROM access_tokens t WHERE t.account_id = @a ORDER BY t.id", r => ReadToken(r), ct, ("@a", accountId)), ct).ConfigureAwait(false);

    public Task<bool> RevokeTokenAsync(long accountId, long tokenId, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await SqlCommands.ExecuteAsync(c, tx, "DELETE FROM access_tokens WHERE id = @id AND account_id = @a", ct, ("@id", tokenId), ("@a", accountId)).ConfigureAwait(false) == 1, ct);
}
