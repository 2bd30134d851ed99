using Posthorn.Storage.Secrets;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    /// <summary>
    /// Encrypts service URLs and secrets written before encryption at rest. Runs at every start;
    /// after the first it finds nothing. Rows are read and rewritten in one write transaction, so
    /// two processes starting at once cannot encrypt a value twice.
    /// </summary>
    internal Task<int> ProtectPlainServiceSecretsAsync(CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
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
