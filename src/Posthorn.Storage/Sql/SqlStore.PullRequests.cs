using System.Data.Common;
using Posthorn.Core.PullRequests;

namespace Posthorn.Storage.Sql;

/// <summary>Pull requests: numbered per repository in the creating transaction; every close is one UPDATE conditional on the pull request being open.</summary>
public sealed partial class SqlStore : IPullRequestStore
{
    private const string PullRequestColumns =
        "repository_id, id, title, description, author, state, source_branch, source_commit, destination_branch, destination_commit, merge_commit, closed_by, closed_at, created_at, updated_at";

    public async Task<PullRequest> CreatePullRequestAsync(
        NewPullRequest pullRequest, DateTimeOffset at, Func<PullRequest, Task>? beforeAnnouncing, PullRequestAnnouncement? announce, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pullRequest);
        var (created, queued) = await WriteUniqueAsync("Another pull request was opened at the same moment; try again.", async (c, tx) =>
        {
            var id = (long)(await SqlCommands.ScalarAsync(c, tx,
                """
                INSERT INTO pull_requests (repository_id, id, title, description, author, state, source_branch, source_commit,
                                           destination_branch, destination_commit, created_at, updated_at)
                SELECT @r, COALESCE(MAX(id), 0) + 1, @title, @description, @author, 0, @sb, @sc, @db, @dc, @t, @t
                FROM pull_requests WHERE repository_id = @r
                RETURNING id
                """,
                ct, ("@r", pullRequest.RepositoryId), ("@title", pullRequest.Title), ("@description", pullRequest.Description), ("@author", pullRequest.Author),
                ("@sb", pullRequest.SourceBranch), ("@sc", pullRequest.SourceCommit), ("@db", pullRequest.DestinationBranch), ("@dc", pullRequest.DestinationCommit),
                ("@t", at)).ConfigureAwait(false))!;
            var stored = (await FindPullRequestAsync(c, tx, pullRequest.RepositoryId, id, ct).ConfigureAwait(false))!;
            if (beforeAnnouncing is not null)
            {
                await beforeAnnouncing(stored).ConfigureAwait(false);
            }

            return (stored, await AnnounceInTransactionAsync(c, tx, stored, announce, at, ct).ConfigureAwait(false));
        }, ct).ConfigureAwait(false);
        SignalIfQueued(queued);
        return created;
    }

    public Task<PullRequest?> FindPullRequestAsync(long repositoryId, long id, CancellationToken ct) =>
        ReadAsync(c => FindPullRequestAsync(c, null, repositoryId, id, ct), ct);

    public Task<IReadOnlyList<PullRequest>> ListPullRequestsAsync(long repositoryId, PullRequestState? state, int limit, CancellationToken ct) =>
        ReadAsync(async c => (IReadOnlyList<PullRequest>)await SqlCommands.ListAsync(c, null,
            // -1 stands for "every state" so the statement and its parameters never vary.
            $"SELECT {PullRequestColumns} FROM pull_requests WHERE repository_id = @r AND (@s < 0 OR state = @s) ORDER BY id DESC LIMIT @l",
            ReadPullRequest, ct, ("@r", repositoryId), ("@s", state is { } s ? (long)s : -1L), ("@l", limit)).ConfigureAwait(false), ct);

    public async Task<PullRequest?> UpdateSourceAsync(long repositoryId, long id, string sourceCommit, DateTimeOffset at, PullRequestAnnouncement? announce, CancellationToken ct)
    {
        var (updated, queued) = await WriteAsync(async (c, tx) =>
        {
            var changed = await SqlCommands.ExecuteAsync(c, tx,
                "UPDATE pull_requests SET source_commit = @sc, updated_at = @t WHERE repository_id = @r AND id = @id AND state = 0",
                ct, ("@sc", sourceCommit), ("@t", at), ("@r", repositoryId), ("@id", id)).ConfigureAwait(false);
            return await ChangedAsync(c, tx, changed, repositoryId, id, announce, at, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        SignalIfQueued(queued);
        return updated;
    }

    public async Task<PullRequest?> CloseAsync(PullRequestClosing closing, PullRequestAnnouncement? announce, CancellationToken ct)
    {
        var (closed, queued) = await WriteAsync((c, tx) => CloseInTransactionAsync(c, tx, closing, announce, ct), ct).ConfigureAwait(false);
        SignalIfQueued(queued);
        return closed;
    }

    /// <summary>The close and its event in the caller's transaction (a merge closes with its push): the pull request as stored and the deliveries queued, or null and 0 when it was no longer open.</summary>
    private async Task<(PullRequest? Closed, int Queued)> CloseInTransactionAsync(
        DbConnection c, DbTransaction tx, PullRequestClosing closing, PullRequestAnnouncement? announce, CancellationToken ct)
    {
        // COALESCE keeps the destination commit when the closing does not name one (a decline).
        var changed = await SqlCommands.ExecuteAsync(c, tx,
            """
            UPDATE pull_requests
            SET state = @s, merge_commit = @m, destination_commit = COALESCE(@dc, destination_commit), closed_by = @u, closed_at = @t, updated_at = @t
            WHERE repository_id = @r AND id = @id AND state = 0
            """,
            ct, ("@s", closing.State), ("@m", closing.MergeCommit), ("@dc", closing.DestinationCommit), ("@u", closing.ClosedBy), ("@t", closing.At),
            ("@r", closing.RepositoryId), ("@id", closing.Id)).ConfigureAwait(false);
        return await ChangedAsync(c, tx, changed, closing.RepositoryId, closing.Id, announce, closing.At, ct).ConfigureAwait(false);
    }

    /// <summary>After a conditional update: the pull request as stored with its event queued, or null when the update found it no longer open.</summary>
    private async Task<(PullRequest? Changed, int Queued)> ChangedAsync(
        DbConnection c, DbTransaction tx, int rows, long repositoryId, long id, PullRequestAnnouncement? announce, DateTimeOffset at, CancellationToken ct)
    {
        if (rows != 1)
        {
            return (null, 0);
        }

        var stored = (await FindPullRequestAsync(c, tx, repositoryId, id, ct).ConfigureAwait(false))!;
        return (stored, await AnnounceInTransactionAsync(c, tx, stored, announce, at, ct).ConfigureAwait(false));
    }

    /// <summary>The event's outbox rows, in the change's transaction: how many were queued.</summary>
    private async Task<int> AnnounceInTransactionAsync(DbConnection c, DbTransaction tx, PullRequest changed, PullRequestAnnouncement? announce, DateTimeOffset at, CancellationToken ct) =>
        announce is null ? 0 : (await InsertComposedAsync(c, tx, changed.RepositoryId, null, announce(changed), at, ct).ConfigureAwait(false)).Count;

    private static async Task<PullRequest?> FindPullRequestAsync(DbConnection c, DbTransaction? tx, long repositoryId, long id, CancellationToken ct) =>
        (await SqlCommands.ListAsync(c, tx, $"SELECT {PullRequestColumns} FROM pull_requests WHERE repository_id = @r AND id = @id",
            ReadPullRequest, ct, ("@r", repositoryId), ("@id", id)).ConfigureAwait(false)).SingleOrDefault();

    private static PullRequest ReadPullRequest(DbDataReader r) => new(
        r.Long(0), r.Long(1), r.Text(2), r.Text(3), r.Text(4), (PullRequestState)r.Int(5), r.Text(6), r.Text(7), r.Text(8), r.Text(9),
        r.NullableText(10), r.NullableText(11), r.NullableTime(12), r.Time(13), r.Time(14));
}
