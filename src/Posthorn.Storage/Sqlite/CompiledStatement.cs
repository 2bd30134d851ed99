using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using Posthorn.Storage.Sql;
using SQLitePCL;

namespace Posthorn.Storage.Sqlite;

/// <summary>
/// One SQL statement compiled on a SQLite connection and run again and again, its parameters bound
/// by position through SQLite's own API. Microsoft.Data.Sqlite binds every parameter by name on every
/// run (the name converted to UTF-8 and looked up in the statement's list of names) and makes several
/// native calls per column read; on the store's hot statements that was more managed time than
/// SQLite's own execution. Behaves as the provider does where the store can tell: a missing parameter
/// is an error, SQLite's errors surface as <see cref="SqliteException"/> with the extended code, a busy
/// or locked database is retried up to the connection's command timeout, and the statement is reset
/// when its rows are disposed, so it holds no read snapshot between runs. Text is bound whole (the
/// provider cut it at a NUL character, which SQLite stores as it stores any other). Only single statements
/// compile (<see cref="TryCompile"/> gives null for a text of several). Not thread-safe.
/// </summary>
internal sealed class CompiledStatement : IDisposable
{
    private const int StackLimit = 512;
    private const int PooledLimit = 64 * 1024;

    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;
    private readonly string?[] names; // names[i] is parameter i + 1's name, with its prefix
    private readonly Dictionary<string, int> positions = new(StringComparer.Ordinal);
    private readonly TimeSpan busyTimeout;
    private readonly CompiledRows rows;

    private CompiledStatement(string text, sqlite3 db, sqlite3_stmt statement, TimeSpan busyTimeout)
    {
        Text = text;
        this.db = db;
        this.statement = statement;
        this.busyTimeout = busyTimeout;
        names = new string?[raw.sqlite3_bind_parameter_count(statement)];
        for (var i = 0; i < names.Length; i++)
        {
            var name = raw.sqlite3_bind_parameter_name(statement, i + 1).utf8_to_string();
            names[i] = name;
            if (name is not null)
            {
                positions.TryAdd(name, i + 1);
            }
        }

        rows = new CompiledRows(statement);
    }

    /// <summary>The SQL text it was compiled from.</summary>
    public string Text { get; }

    /// <summary>The statement compiled on <paramref name="connection"/>, or null when the text holds more than one statement (or none).</summary>
    public static CompiledStatement? TryCompile(SqliteConnection connection, string sql)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement, out var tail);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        if (statement is null || statement.IsInvalid || !string.IsNullOrWhiteSpace(tail))
        {
            statement?.Dispose();
            return null;
        }

        return new CompiledStatement(sql, db, statement, TimeSpan.FromSeconds(connection.DefaultTimeout));
    }

    /// <summary>Runs the statement with <paramref name="parameters"/> and returns its rows, the first already stepped to; dispose them to reset the statement.</summary>
    public CompiledRows Query((string Name, object? Value)[] parameters, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Bind(parameters);
        rows.Open(Step(ct));
        return rows;
    }

    /// <summary>Runs the statement to its end: the rows it changed, or -1 for a statement that writes nothing (as <c>ExecuteNonQuery</c>).</summary>
    public int Execute((string Name, object? Value)[] parameters, CancellationToken ct)
    {
        using var result = Query(parameters, ct);
        while (result.Read())
        {
        }

        return raw.sqlite3_stmt_readonly(statement) != 0 ? -1 : raw.sqlite3_changes(db);
    }

    /// <summary>
    /// Steps to the first row or the end. The token is checked before, as the provider does; a running
    /// statement is not interrupted (the provider never interrupts one either).
    /// </summary>
    internal int Step(CancellationToken ct)
    {
        // The clock starts before the first step, which may already spend the connection's busy
        // timeout inside SQLite: the provider counts that wait too, and a timeout of 0 waits for ever.
        var started = Environment.TickCount64;
        while (true)
        {
            var rc = raw.sqlite3_step(statement);
            if (rc is raw.SQLITE_ROW or raw.SQLITE_DONE)
            {
                return rc;
            }

            raw.sqlite3_reset(statement);
            if (rc is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
                || (busyTimeout > TimeSpan.Zero && Environment.TickCount64 - started >= busyTimeout.TotalMilliseconds))
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }

            ct.ThrowIfCancellationRequested();
            Thread.Sleep(150);
        }
    }

    private void Bind((string Name, object? Value)[] parameters)
    {
        raw.sqlite3_reset(statement);
        raw.sqlite3_clear_bindings(statement);
        Span<bool> bound = names.Length <= StackLimit ? stackalloc bool[names.Length] : new bool[names.Length];
        var next = 0; // the statement's next parameter, for callers that give them in the statement's order
        foreach (var (name, value) in parameters)
        {
            // Parameters in the statement's own order need no lookup; others (and extras, which the
            // provider also ignores) go through the map.
            var position = next < names.Length && string.Equals(names[next], name, StringComparison.Ordinal) ? next + 1 : positions.GetValueOrDefault(name);
            if (position == 0)
            {
                continue;
            }

            Bind(position, value);
            bound[position - 1] = true;
            next = position;
        }

        if (bound.Contains(false))
        {
            var missing = new List<string?>();
            for (var i = 0; i < names.Length; i++)
            {
                if (!bound[i])
                {
                    missing.Add(names[i]);
                }
            }

            throw new InvalidOperationException($"Must add values for the following parameters: {string.Join(", ", missing)}");
        }
    }

    /// <summary>
    /// Binds <paramref name="value"/> as <see cref="SqlCommands.ToStorage"/> stores it. The kinds every
    /// attempt binds several of are bound as they are: converting them first boxed each number once
    /// more and wrote each GUID into a new string, both garbage on every settlement and claim.
    /// </summary>
    private void Bind(int position, object? value)
    {
        var rc = value switch
        {
            long l => raw.sqlite3_bind_int64(statement, position, l),
            int i => raw.sqlite3_bind_int64(statement, position, i),
            DateTimeOffset t => raw.sqlite3_bind_int64(statement, position, t.ToUnixTimeMilliseconds()),
            Guid g => BindGuid(position, g),
            _ => BindStored(position, SqlCommands.ToStorage(value)),
        };

        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    /// <summary>The GUID's text as <see cref="Guid.ToString()"/> writes it (36 characters, lower case).</summary>
    private int BindGuid(int position, Guid id)
    {
        Span<byte> text = stackalloc byte[36];
        id.TryFormat(text, out var written);
        return raw.sqlite3_bind_text(statement, position, text[..written]);
    }

    /// <summary>Binds a value as <see cref="SqlCommands.ToStorage"/> left it.</summary>
    private int BindStored(int position, object value) => value switch
    {
        DBNull => raw.sqlite3_bind_null(statement, position),
        long l => raw.sqlite3_bind_int64(statement, position, l),
        string s => BindText(position, s),
        double d => raw.sqlite3_bind_double(statement, position, d),
        byte[] b => raw.sqlite3_bind_blob(statement, position, b),
        _ => throw new InvalidOperationException($"No SQLite binding for a parameter of type {value.GetType()}."),
    };

    private int BindText(int position, string text)
    {
        if (text.Length <= StackLimit / 3)
        {
            Span<byte> small = stackalloc byte[StackLimit];
            return raw.sqlite3_bind_text(statement, position, small[..Encoding.UTF8.GetBytes(text, small)]);
        }

        // Pooled up to a modest size only: the shared pool keeps what it is given back, and a large
        // payload's buffer should go with it, as the provider's did.
        var length = Encoding.UTF8.GetByteCount(text);
        if (length > PooledLimit)
        {
            return raw.sqlite3_bind_text(statement, position, Encoding.UTF8.GetBytes(text));
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            return raw.sqlite3_bind_text(statement, position, rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void Dispose() => statement.Dispose();
}
