using System.Data.Common;
using Posthorn.Core.Pushes;

namespace Posthorn.Storage.Sql;

/// <summary>The recorded refs of each repository and the journal of ref moves git announced before making them.</summary>
public sealed partial class SqlStore
{
    public Task<IReadOnlyDictionary<string, string>> GetRecordedRefsAsync(long repositoryId, CancellationToken ct) =>
        ReadAsync(async c =>
        {
            var rows = await SqlCommands.ListAsync(c, null, "SELECT ref_name, object_id FROM repository_refs WHERE repository_id = @r",
                r => (Name: r.Text(0), Id: r.Text(1)), ct, ("@r", repositoryId)).ConfigureAwait(false);
            return (IReadOnlyDictionary<string, string>)rows.ToDictionary(r => r.Name, r => r.Id, StringComparer.Ordinal);
        }, ct);

    public Task RecordRefIntentsAsync(long repositoryId, string pusher, IReadOnlyList<RefUpdate> updates, long? pullRequestId, DateTimeOffset at, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            foreach (var update in updates)
            {
                await SqlCommands.ExecuteAsync(c, tx,
                    "INSERT INTO ref_intents (repository_id, pusher, ref_name, old_id, new_id, created_at, pull_request_id) VALUES (@r, @u, @n, @o, @v, @t, @pr)",
                    ct, ("@r", repositoryId), ("@u", pusher), ("@n", update.RefName), ("@o", update.OldId), ("@v", update.NewId), ("@t", at), ("@pr", pullRequestId)).ConfigureAwait(false);
            }

            return true;
        }, ct);

    public Task<IReadOnlyList<RefIntent>> ListRefIntentsAsync(long repositoryId, CancellationToken ct) =>
        ReadAsync(async c => (IReadOnlyList<RefIntent>)await SqlCommands.ListAsync(c, null,
            "SELECT pusher, ref_name, old_id, new_id, pull_request_id FROM ref_intents WHERE repository_id = @r ORDER BY id",
            r => new RefIntent(r.Text(0), new RefUpdate(r.Text(1), r.Text(2), r.Text(3))) { PullRequestId = r.NullableLong(4) }, ct, ("@r", repositoryId)).ConfigureAwait(false), ct);

    public Task ClearRefIntentsAsync(long repositoryId, CancellationToken ct) =>
        WriteAsync((c, tx) => SqlCommands.ExecuteAsync(c, tx, "DELETE FROM ref_intents WHERE repository_id = @r", ct, ("@r", repositoryId)), ct);

    private static Task<int> MoveRecordedRefAsync(DbConnection c, DbTransaction tx, long repositoryId, RefUpdate update, CancellationToken ct) =>
        update.IsDelete
            ? SqlCommands.ExecuteAsync(c, tx, "DELETE FROM repository_refs WHERE repository_id = @r AND ref_name = @n", ct, ("@r", repositoryId), ("@n", update.RefName))
            : SqlCommands.ExecuteAsync(c, tx,
                """
                INSERT INTO repository_refs (repository_id, ref_name, object_id) VALUES (@r, @n, @v)
                ON CONFLICT (repository_id, ref_name) DO UPDATE SET object_id = excluded.object_id
                """,
                ct, ("@r", repositoryId), ("@n", update.RefName), ("@v", update.NewId));
}
