using System.Data.Common;
using Microsoft.Data.Sqlite;
using Posthorn.Storage.Sql;

namespace Posthorn.Storage.Sqlite;

public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public override string Name => "sqlite";

    public override string MigrationFolder => "Sqlite";

    // One writer at a time holds the database lock, so claimers cannot overlap anyway.
    public override string ClaimLockClause => "";

    public override string? NotifySql => null;

    // Without statistics SQLite's planner counts equal columns: a held-queue read by service and due
    // time went through the pending index (status, held), reading every held row of every service.
    public override string IndexedBy(string index) => " INDEXED BY " + index;

    // SQLite's scalar max() takes any number of arguments.
    public override string Greatest(string a, string b, string c) => $"max({a}, {b}, {c})";

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // BEGIN IMMEDIATE already excludes every other writer.
    public override string MigrationLockSql => "SELECT 1";

    // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 };

    // SQLITE_TOOBIG (18), SQLITE_CONSTRAINT (19, a trigger's RAISE included), SQLITE_MISMATCH (20).
    public override bool RefusesContent(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 18 or 19 or 20 };
}
