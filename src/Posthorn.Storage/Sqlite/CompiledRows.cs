using System.Collections;
using System.Data.Common;
using System.Text;
using SQLitePCL;

namespace Posthorn.Storage.Sqlite;

/// <summary>
/// The rows of one run of a <see cref="CompiledStatement"/>, read column by column through SQLite's
/// own API, as the store's row mappers read a provider's reader (integers, text, nulls). One instance
/// per statement, reopened for each run; disposing it resets the statement. Values convert as SQLite
/// converts them; reading NULL as a value is an error, as in Microsoft.Data.Sqlite.
/// </summary>
internal sealed class CompiledRows(sqlite3_stmt statement) : DbDataReader
{
    private bool open;
    private bool firstPending; // the run stepped to its first row already
    private bool done;

    internal void Open(int firstStep)
    {
        open = true;
        firstPending = firstStep == raw.SQLITE_ROW;
        done = !firstPending;
    }

    public override bool Read()
    {
        if (firstPending)
        {
            firstPending = false;
            return true;
        }

        if (done)
        {
            return false;
        }

        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        done = true;
        if (rc != raw.SQLITE_DONE)
        {
            var db = raw.sqlite3_db_handle(statement);
            raw.sqlite3_reset(statement);
            Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(rc, db);
        }

        return false;
    }

    public override bool NextResult() => false;

    public override void Close()
    {
        if (open)
        {
            open = false;
            raw.sqlite3_reset(statement);
        }
    }

    protected override void Dispose(bool disposing)
    {
        Close();
        base.Dispose(disposing);
    }

    public override bool IsClosed => !open;

    public override int FieldCount => raw.sqlite3_column_count(statement);

    public override bool HasRows => firstPending || !done;

    public override int RecordsAffected => -1;

    public override int Depth => 0;

    public override bool IsDBNull(int ordinal) => raw.sqlite3_column_type(statement, ordinal) == raw.SQLITE_NULL;

    public override long GetInt64(int ordinal)
    {
        NotNull(ordinal);
        return raw.sqlite3_column_int64(statement, ordinal);
    }

    public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

    public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));

    public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));

    public override bool GetBoolean(int ordinal) => GetInt64(ordinal) != 0;

    public override double GetDouble(int ordinal)
    {
        NotNull(ordinal);
        return raw.sqlite3_column_double(statement, ordinal);
    }

    public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);

    public override decimal GetDecimal(int ordinal) => (decimal)GetDouble(ordinal);

    public override string GetString(int ordinal)
    {
        // One type check; text is decoded from its stored UTF-8 bytes without SQLite's conversion step.
        var type = raw.sqlite3_column_type(statement, ordinal);
        return type switch
        {
            raw.SQLITE_NULL => throw OnNull(ordinal),
            raw.SQLITE_TEXT => Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, ordinal)),
            _ => raw.sqlite3_column_text(statement, ordinal).utf8_to_string(),
        };
    }

    public override char GetChar(int ordinal) => GetString(ordinal)[0];

    public override Guid GetGuid(int ordinal) => Guid.Parse(GetString(ordinal));

    public override DateTime GetDateTime(int ordinal) => DateTime.Parse(GetString(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    public override object GetValue(int ordinal) => raw.sqlite3_column_type(statement, ordinal) switch
    {
        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(statement, ordinal),
        raw.SQLITE_FLOAT => raw.sqlite3_column_double(statement, ordinal),
        raw.SQLITE_TEXT => GetString(ordinal),
        raw.SQLITE_BLOB => raw.sqlite3_column_blob(statement, ordinal).ToArray(),
        _ => DBNull.Value,
    };

    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < n; i++)
        {
            values[i] = GetValue(i);
        }

        return n;
    }

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override string GetName(int ordinal) => raw.sqlite3_column_name(statement, ordinal).utf8_to_string();

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (string.Equals(GetName(i), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(name), name, "No such column.");
    }

    public override string GetDataTypeName(int ordinal) => raw.sqlite3_column_decltype(statement, ordinal).utf8_to_string() ?? "BLOB";

    public override Type GetFieldType(int ordinal) => raw.sqlite3_column_type(statement, ordinal) switch
    {
        raw.SQLITE_INTEGER => typeof(long),
        raw.SQLITE_FLOAT => typeof(double),
        raw.SQLITE_TEXT => typeof(string),
        _ => typeof(byte[]),
    };

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        var blob = raw.sqlite3_column_blob(statement, ordinal);
        if (buffer is null)
        {
            return blob.Length;
        }

        var n = (int)Math.Max(0, Math.Min(length, blob.Length - dataOffset));
        blob.Slice((int)dataOffset, n).CopyTo(buffer.AsSpan(bufferOffset));
        return n;
    }

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        var text = GetString(ordinal);
        if (buffer is null)
        {
            return text.Length;
        }

        var n = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
        text.CopyTo((int)dataOffset, buffer, bufferOffset, n);
        return n;
    }

    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    private void NotNull(int ordinal)
    {
        if (IsDBNull(ordinal))
        {
            throw OnNull(ordinal);
        }
    }

    private static InvalidOperationException OnNull(int ordinal) =>
        new($"The data is NULL at ordinal {ordinal}. This method can't be called on NULL values. Check using IsDBNull before calling.");
}
