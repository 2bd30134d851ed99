using System.Data.Common;
using Posthorn.Core.Repositories;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    private const string RepositorySelect =
        "SELECT r.id, a.username, r.slug, r.name, r.is_private, r.is_fork, r.website, r.scm, r.created_at FROM repositories r JOIN accounts a ON a.id = r.owner_id";

    private static Repository ReadRepository(DbDataReader r) =>
        new(r.Long(0), r.Text(1), r.Text(2), r.Text(3), r.Bool(4), r.Bool(5), r.Text(6), r.Text(7), r.Time(8));

    public Task<Repository> CreateRepositoryAsync(NewRepository repository, DateTimeOffset now, CancellationToken ct) =>
        WriteUniqueAsync($"The owner already has a repository '{repository.Slug}'.", async (c, tx) =>
        {
            // Forks are not created yet: every new repository is an original.
            var id = (long)(await SqlCommands.ScalarAsync(c, tx,
                """
                INSERT INTO repositories (owner_id, slug, name, is_private, is_fork, website, scm, created_at)
                VALUES (@o, @s, @n, @p, 0, @w, @scm, @now) RETURNING id
                """,
                ct, ("@o", repository.OwnerAccountId), ("@s", repository.Slug), ("@n", repository.Name), ("@p", repository.IsPrivate), ("@w", repository.Website), ("@scm", repository.Scm), ("@now", now)).ConfigureAwait(false))!;
            return (await SqlCommands.SingleOrDefaultAsync(c, tx, RepositorySelect + " WHERE r.id = @id", ReadRepository, ct, ("@id", id)).ConfigureAwait(false))!;
        }, ct);

    public Task<Repository?> FindRepositoryAsync(string owner, string slug, CancellationToken ct) =>
        ReadAsync(c => SqlCommands.SingleOrDefaultAsync(c, null, RepositorySelect + " WHERE a.username_key = @o AND r.slug = @s", ReadRepository, ct, ("@o", Key(owner)), ("@s", slug)), ct);

    public Task<Repository?> FindRepositoryByIdAsync(long id, CancellationToken ct) =>
        ReadAsync(c => SqlCommands.SingleOrDefaultAsync(c, null, RepositorySelect + " WHERE r.id = @id", ReadRepository, ct, ("@id", id)), ct);

    public async Task<IReadOnlyList<Repository>> ListRepositoriesAsync(CancellationToken ct) =>
        await ReadAsync(c => SqlCommands.ListAsync(c, null, RepositorySelect + " ORDER BY a.username_key, r.slug", ReadRepository, ct), ct).ConfigureAwait(false);

    // Children (grants, pushes, ref updates, services, deliveries, attempts) go by ON DELETE CASCADE.
    public Task<bool> DeleteRepositoryAsync(long repositoryId, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await SqlCommands.ExecuteAsync(c, tx, "DELETE FROM repositories WHERE id = @id", ct, ("@id", repositoryId)).ConfigureAwait(false) == 1, ct);

    public Task SetGrantAsync(long repositoryId, long accountId, Permission permission, CancellationToken ct) =>
        WriteAsync((c, tx) => permission == Permission.None
            ? SqlCommands.ExecuteAsync(c, tx, "DELETE FROM grants WHERE repository_id = @r AND account_id = @a", ct, ("@r", repositoryId), ("@a", accountId))
            : SqlCommands.ExecuteAsync(c, tx,
                "INSERT INTO grants (repository_id, account_id, permission) VALUES (@r, @a, @p) ON CONFLICT (repository_id, account_id) DO UPDATE SET permission = excluded.permission",
                ct, ("@r", repositoryId), ("@a", accountId), ("@p", permission)), ct);

    public async Task<Permission> GetGrantAsync(long repositoryId, long accountId, CancellationToken ct)
    {
        var value = await ReadAsync(c => SqlCommands.ScalarAsync(c, null, "SELECT permission FROM grants WHERE repository_id = @r AND account_id = @a", ct, ("@r", repositoryId), ("@a", accountId)), ct).ConfigureAwait(false);
        return value is null ? Permission.None : (Permission)Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<RepositoryGrant>> ListGrantsAsync(long repositoryId, CancellationToken ct) =>
        await ReadAsync(c => SqlCommands.ListAsync(c, null,
            "SELECT g.account_id, a.username, g.permission FROM grants g JOIN accounts a ON a.id = g.account_id WHERE g.repository_id = @r ORDER BY a.username_key",
            r => new RepositoryGrant(r.Long(0), r.Text(1), (Permission)r.Int(2)), ct, ("@r", repositoryId)), ct).ConfigureAwait(false);
}
