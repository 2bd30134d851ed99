using System.Data.Common;

namespace Posthorn.Storage.Sql;

/// <summary>
/// The few places where SQLite and PostgreSQL differ; everything else in <see cref="SqlStore"/> is
/// portable SQL (named @parameters, INSERT ... RETURNING, ON CONFLICT, LIMIT). Stateless and thread-safe.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>"sqlite" or "postgres", for readiness output and logs.</summary>
    public abstract string Name { get; }

    /// <summary>The folder under Migrations/ holding this dialect's versioned scripts.</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>
    /// Appended to the claim query's inner SELECT so concurrent claimers skip each other's rows instead
    /// of waiting (PostgreSQL); empty where the write transaction already serialises claimers (SQLite).
    /// </summary>
    public abstract string ClaimLockClause { get; }

    /// <summary>Appended to a subquery that picks rows to update, so rows another transaction has locked are passed by instead of waited for (PostgreSQL); empty where writers never overlap (SQLite).</summary>
    public virtual string SkipLockedClause => "";

    /// <summary>Run first in a claim's write transaction, to keep its plan whatever the statistics say; null where none is needed.</summary>
    public virtual string? ClaimPlanSetting => null;

    /// <summary>Written after a table's name to make the planner read it through <paramref name="index"/> (SQLite's INDEXED BY); empty where the planner has statistics to choose by itself.</summary>
    public virtual string IndexedBy(string index) => "";

    /// <summary>Statement run inside a transaction that queued deliveries, to wake other nodes; null when there are none to wake.</summary>
    public abstract string? NotifySql { get; }

    /// <summary>SQL for the greatest of three non-null integer expressions.</summary>
    public abstract string Greatest(string a, string b, string c);

    /// <summary>
    /// Begins a transaction that will write. SQLite must take the write lock up front (BEGIN IMMEDIATE):
    /// a deferred transaction that reads then writes fails with SQLITE_BUSY instead of waiting.
    /// </summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// Runs first inside the migration transaction so that two processes starting at once apply
    /// migrations one after the other.
    /// </summary>
    public abstract string MigrationLockSql { get; }

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Whether the database refused a statement for the values in it (too long, not storable, a broken constraint) rather than failing to run it.</summary>
    public abstract bool RefusesContent(DbException exception);
}
