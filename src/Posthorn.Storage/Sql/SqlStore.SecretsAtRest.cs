using Posthorn.Storage.Secrets;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    /// <summary>
    /// At every start, under the migration lock: makes sure the key ring has a key, then encrypts
    /// service URLs and secrets written before encryption at rest (after the first start it finds
    /// none). The lock matters on a brand-new shared key ring: nodes starting together would each
    /// create a key of their own, and a node caches the ring it read, so for up to a day it could
    /// not read what another encrypted with a key created after that read.
    /// </summary>
    internal Task<int> ProtectPlainServiceSecretsAsync(CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            await SqlCommands.ExecuteAsync(c, tx, dialect.MigrationLockSql, ct).ConfigureAwait(false);
            _ = secrets.Protect("");

            var plain = await SqlCommands.ListAsync(c, tx,
                $"SELECT id, url, secrets FROM post_services WHERE url NOT LIKE '{SecretColumns.Prefix}%' OR secrets NOT LIKE '{SecretColumns.Prefix}%'",
                r => (Id: r.Long(0), Url: r.Text(1), Secrets: r.Text(2)), ct).ConfigureAwait(false);
            foreach (var row in plain)
            {
                await SqlCommands.ExecuteAsync(c, tx, "UPDATE post_services SET url = @u, secrets = @s WHERE id = @id",
                    ct, ("@u", ProtectOnce(row.Url)), ("@s", ProtectOnce(row.Secrets)), ("@id", row.Id)).ConfigureAwait(false);
            }

            return plain.Count;
        }, ct);

    private string ProtectOnce(string stored) => SecretColumns.IsProtected(stored) ? stored : secrets.Protect(stored);
}
