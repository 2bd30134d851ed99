using System.Data.Common;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Reads the storage representation back (see <see cref="SqlCommands.ToStorage"/>). Every integer
/// column is 64-bit on PostgreSQL and INTEGER on SQLite, so one accessor serves both.
/// </summary>
internal static class RowReader
{
    public static long Long(this DbDataReader r, int i) => r.GetInt64(i);

    public static int Int(this DbDataReader r, int i) => checked((int)r.GetInt64(i));

    public static int? NullableInt(this DbDataReader r, int i) => r.IsDBNull(i) ? null : checked((int)r.GetInt64(i));

    public static long? NullableLong(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    public static bool Bool(this DbDataReader r, int i) => r.GetInt64(i) != 0;

    public static string Text(this DbDataReader r, int i) => r.GetString(i);

    public static string? NullableText(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    public static DateTimeOffset Time(this DbDataReader r, int i) => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    public static DateTimeOffset? NullableTime(this DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    public static Guid Guid(this DbDataReader r, int i) => System.Guid.Parse(r.GetString(i));
}
