using System.Data.Common;
using Posthorn.Core.Deliveries;

namespace Posthorn.Storage.Sql;

/// <summary>
/// SQLite's settlement, many rows per statement. Each run of a statement has a fixed cost (reset,
/// binding, opening its cursors, collecting RETURNING rows) that a single-row move, attempt insert or
/// service update paid once per attempt; here a batch's moves are one UPDATE … FROM a list of values,
/// its attempts one INSERT, and its all-success services one UPDATE. The same rows change as in the
/// statement-per-row form, in one transaction. A batch is cut into parts whose sizes are its binary
/// digits (at most 64 rows), so a few statement texts stay compiled whatever the batch size.
/// PostgreSQL keeps the statement-per-row form: it sends a batch in one round trip already, and locks
/// service rows in id order, which a joined UPDATE would not promise.
/// </summary>
public sealed partial class SqlStore
{
    private const int MaxRowsPerStatement = 64;

    /// <summary>
    /// Whether this batch is settled many rows per statement: on SQLite, unless a delivery appears twice
    /// (its lease lost and taken again by this node): a joined UPDATE changes a row once however many
    /// values match it, and each attempt must move its delivery once.
    /// </summary>
    private bool SettleInRows(IReadOnlyList<Settlement> settlements) =>
        dialect is Sqlite.SqliteDialect && settlements.Select(s => s.Attempt.DeliveryId).Distinct().Count() == settlements.Count;

    /// <summary>Parts of a batch of <paramref name="count"/> rows: (first row, rows), each a power of two up to <see cref="MaxRowsPerStatement"/>.</summary>
    private static IEnumerable<(int Start, int Count)> Parts(int count)
    {
        var start = 0;
        for (var size = MaxRowsPerStatement; size > 0; size /= 2)
        {
            while (count - start >= size)
            {
                yield return (start, size);
                start += size;
            }
        }
    }

    private static string Rows(int count, Func<int, string> row) => string.Join(", ", Enumerable.Range(0, count).Select(row));

    /// <summary>Moves @id0…@id{count-1} (internal: a test checks SQLite's plan for it). The lease check and the move stay one statement, as in MoveSql.</summary>
    internal static string MoveRowsSql(int count) =>
        $"""
        WITH v (id, round, st, next, done, rs, err, until) AS (VALUES {Rows(count, i => $"(@id{i}, @round{i}, @st{i}, @next{i}, @done{i}, @rs{i}, @err{i}, @until{i})")})
        UPDATE deliveries SET {MoveAssignments("v.")}
        FROM v WHERE deliveries.id = v.id AND deliveries.lease_owner = @node AND deliveries.lease_until <= COALESCE(v.until, deliveries.lease_until)
        RETURNING id, attempt_count, service_id, status
        """;

    private static string AttemptRowsSql(int count) =>
        $"INSERT INTO attempts ({AttemptColumns}, request_body_id) VALUES {Rows(count, i => AttemptValues(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))}";

    /// <summary>A success's update of services @s0…, as HealthSql leaves the row when @ok = 1; nothing to return (the count is 0).</summary>
    internal static string ClearHealthRowsSql(int count) =>
        $"""
        WITH v (id, o, start) AS (VALUES {Rows(count, i => $"(@s{i}, @o{i}, @start{i})")})
        UPDATE post_services SET consecutive_failures = 0, paused_until = NULL, last_outcome = v.o, last_attempt_at = v.start
        FROM v WHERE post_services.id = v.id
        """;

    private static readonly Dictionary<int, (string Move, string Attempt, string ClearHealth)> RowStatements =
        Enumerable.Range(0, 7).Select(k => 1 << k).ToDictionary(n => n, n => (MoveRowsSql(n), AttemptRowsSql(n), ClearHealthRowsSql(n)));

    /// <summary>The moves in parts, then the distinct bodies: each held move (null: its lease was lost), and each body's row id.</summary>
    private static async Task<(Moved?[] Moved, long[] BodyIds)> MoveInRowsAsync(
        DbConnection c, DbTransaction tx, string nodeId, IReadOnlyList<Settlement> settlements, List<(string Digest, string Body)> bodies, CancellationToken ct)
    {
        var held = new Dictionary<string, Moved>(settlements.Count, StringComparer.Ordinal);
        foreach (var (start, count) in Parts(settlements.Count))
        {
            var parameters = new List<(string, object?)>((count * MoveParameterCount) + 1);
            for (var i = start; i < start + count; i++)
            {
                AddMoveParameters(parameters, settlements[i], i - start, null);
            }

            parameters.Add(("@node", nodeId));
            foreach (var (id, move) in await SqlCommands.ListAsync(c, tx, RowStatements[count].Move, r => (r.Text(0), new Moved(r.Long(1), r.Long(2), (DeliveryStatus)r.Long(3))), ct, [.. parameters]).ConfigureAwait(false))
            {
                held[id] = move;
            }
        }

        var moved = settlements.Select(s => held.TryGetValue(s.Attempt.DeliveryId.ToString(), out var m) ? m : (Moved?)null).ToArray();
        var stored = await SqlStatements.QueryEachAsync(c, tx, bodies.Select(b => (StoreBodySql, new (string, object?)[] { ("@d", b.Digest), ("@b", b.Body) })).ToList(),
            r => r.Long(0), ct).ConfigureAwait(false);
        return (moved, stored.Select(r => r[0]).ToArray());
    }

    private static async Task InsertAttemptsInRowsAsync(DbConnection c, DbTransaction tx, List<(Attempt Attempt, long Number, long BodyId)> attempts, CancellationToken ct)
    {
        foreach (var (start, count) in Parts(attempts.Count))
        {
            var parameters = new (string, object?)[count * AttemptParameterCount];
            for (var i = start; i < start + count; i++)
            {
                WriteAttemptParameters(parameters.AsSpan((i - start) * AttemptParameterCount, AttemptParameterCount), attempts[i].Attempt, attempts[i].Number, attempts[i].BodyId, i - start);
            }

            await SqlCommands.ExecuteAsync(c, tx, RowStatements[count].Attempt, ct, parameters).ConfigureAwait(false);
        }
    }

    /// <summary>Each all-success service's row as its last success in the batch leaves it.</summary>
    private static async Task ClearHealthInRowsAsync(DbConnection c, DbTransaction tx, List<(long ServiceId, Attempt Attempt)> lastSuccesses, CancellationToken ct)
    {
        foreach (var (start, count) in Parts(lastSuccesses.Count))
        {
            var parameters = new (string, object?)[count * 3];
            for (var i = 0; i < count; i++)
            {
                var (serviceId, attempt) = lastSuccesses[start + i];
                parameters[3 * i] = (ParameterNames.Of("@s", i), serviceId);
                parameters[(3 * i) + 1] = (ParameterNames.Of("@o", i), attempt.Outcome);
                parameters[(3 * i) + 2] = (ParameterNames.Of("@start", i), attempt.StartedAt);
            }

            await SqlCommands.ExecuteAsync(c, tx, RowStatements[count].ClearHealth, ct, parameters).ConfigureAwait(false);
        }
    }
}
