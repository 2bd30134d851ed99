using System.Data;
using System.Data.Common;
using Npgsql;
using Posthorn.Storage.Sql;

namespace Posthorn.Storage.Postgres;

public sealed class PostgresDialect : SqlDialect
{
    /// <summary>The LISTEN/NOTIFY channel that wakes dispatchers on every node.</summary>
    public const string Channel = "posthorn_deliveries";

    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    public override string Name => "postgres";

    public override string MigrationFolder => "Postgres";

    // Several nodes claim at once: each skips rows another has locked instead of queueing behind it.
    public override string ClaimLockClause => " FOR UPDATE OF d SKIP LOCKED";

    public override string SkipLockedClause => " FOR UPDATE SKIP LOCKED";

    // The claim must walk the pending index in due order and stop at its window, however deep the
    // queue. Before autovacuum has analysed a freshly filled table (its first minute), the planner
    // guessed a handful of pending rows and chose to fetch every pending row through the services and
    // sort them: 26-39 ms per claim with 20,000 queued, most of the server's CPU in the benchmark. With
    // sorting priced out the only plan left is the index walk (about 1 ms, statistics or not).
    public override string? ClaimPlanSetting => "SET LOCAL enable_sort = off";

    // Delivered to listeners only when the transaction commits, so a wake-up never precedes the rows.
    public override string? NotifySql => "NOTIFY " + Channel;

    public override string Greatest(string a, string b, string c) => $"GREATEST({a}, {b}, {c})";

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);

    // An arbitrary constant key ("posthorn" on a phone keypad) shared by every Posthorn process.
    public override string MigrationLockSql => "SELECT pg_advisory_xact_lock(76784676)";

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    // Classes 22 (data exception: a NUL, a value too long), 23 (integrity constraint) and 54 (program
    // limit exceeded: a row too large for an index).
    public override bool RefusesContent(DbException exception) =>
        exception is PostgresException { SqlState: ['2', '2' or '3', ..] or ['5', '4', ..] };
}
