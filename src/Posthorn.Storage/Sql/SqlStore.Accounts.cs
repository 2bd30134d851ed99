using System.Data.Common;
using Posthorn.Core.Accounts;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    private const string AccountColumns = "a.id, a.username, a.email, a.password_hash, a.is_site_admin, a.created_at";
    private const string TokenColumns = "t.id, t.account_id, t.name, t.prefix, t.created_at, t.last_used_at";

    // Case-insensitive identity: the lower-cased key is computed here, not by the database, so
    // SQLite (ASCII-only lower()) and PostgreSQL agree on every alphabet.
    private static string Key(string value) => value.ToLowerInvariant();

    private static Account ReadAccount(DbDataReader r, int o = 0) =>
        new(r.Long(o), r.Text(o + 1), r.Text(o + 2), r.Text(o + 3), r.Bool(o + 4), r.Time(o + 5));

    private static AccessToken ReadToken(DbDataReader r, int o = 0) =>
        new(r.Long(o), r.Long(o + 1), r.Text(o + 2), r.Text(o + 3), r.Time(o + 4), r.NullableTime(o + 5));

    public Task<Account> CreateAccountAsync(string username, string email, string passwordHash, bool isSiteAdmin, DateTimeOffset now, CancellationToken ct) =>
        WriteUniqueAsync($"The username or e-mail of '{username}' is taken.", async (c, tx) =>
        {
            var id = (long)(await SqlCommands.ScalarAsync(c, tx,
                """
                INSERT INTO accounts (username, username_key, email, email_key, password_hash, is_site_admin, created_at)
                VALUES (@u, @uk, @e, @ek, @h, @admin, @now) RETURNING id
                """,
                ct, ("@u", username), ("@uk", Key(username)), ("@e", email), ("@ek", Key(email)), ("@h", passwordHash), ("@admin", isSiteAdmin), ("@now", now)).ConfigureAwait(false))!;
            return new Account(id, username, email, passwordHash, isSiteAdmin, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()));
        }, ct);

    public Task<Account?> FindAccountAsync(string username, CancellationToken ct) =>
        ReadAsync(c => SqlCommands.SingleOrDefaultAsync(c, null, $"SELECT {AccountColumns} FROM accounts a WHERE a.username_key = @k", r => ReadAccount(r), ct, ("@k", Key(username))), ct);

    public Task<Account?> FindAccountByIdAsync(long id, CancellationToken ct) =>
        ReadAsync(c => SqlCommands.SingleOrDefaultAsync(c, null, $"SELECT {AccountColumns} FROM accounts a WHERE a.id = @id", r => ReadAccount(r), ct, ("@id", id)), ct);

    public async Task<IReadOnlyDictionary<string, string>> FindUsernamesByEmailAsync(IReadOnlyCollection<string> emails, CancellationToken ct)
    {
        // Keyed by the caller's spelling, looked up case-insensitively.
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var byKey = emails.Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(Key, e => e);
        if (byKey.Count == 0)
        {
            return result;
        }

        await ReadAsync(async c =>
        {
            // Chunked so a push by many authors stays under every driver's parameter limit.
            foreach (var chunk in byKey.Keys.Chunk(500))
            {
                var names = chunk.Select((_, i) => "@e" + i).ToArray();
                var parameters = chunk.Select((k, i) => ("@e" + i, (object?)k)).ToArray();
                var rows = await SqlCommands.ListAsync(c, null, $"SELECT email_key, username FROM accounts WHERE email_key IN ({string.Join(", ", names)})",
                    r => (Key: r.Text(0), Username: r.Text(1)), ct, parameters).ConfigureAwait(false);
                foreach (var (key, username) in rows)
                {
                    result[byKey[key]] = username;
                }
            }

            return 0;
        }, ct).ConfigureAwait(false);
        return result;
    }

    public async Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken ct) =>
        await ReadAsync(c => SqlCommands.ListAsync(c, null, $"SELECT {AccountColumns} FROM accounts a ORDER BY a.username_key", r => ReadAccount(r), ct), ct).ConfigureAwait(false);

    public Task<bool> SetPasswordHashAsync(long accountId, string passwordHash, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await SqlCommands.ExecuteAsync(c, tx, "UPDATE accounts SET password_hash = @h WHERE id = @id", ct, ("@h", passwordHash), ("@id", accountId)).ConfigureAwait(false) == 1, ct);
}
