using System.Data.Common;
using System.Globalization;
using Posthorn.Storage.Sql;

namespace Posthorn.Storage.Migrations;

/// <summary>
/// Applies the dialect's embedded scripts (Migrations/{Dialect}/NNNN_name.sql) that
/// schema_migrations does not list yet, in version order, all in one transaction that first takes
/// the dialect's migration lock, so two processes starting at once apply each script exactly once.
/// </summary>
public sealed class SchemaMigrator(DbDataSource dataSource, SqlDialect dialect, TimeProvider timeProvider)
{
    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        var scripts = LoadScripts();
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        await SqlCommands.ExecuteAsync(connection, transaction, dialect.MigrationLockSql, ct).ConfigureAwait(false);
        await SqlCommands.ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)", ct).ConfigureAwait(false);
        var applied = (await SqlCommands.ListAsync(connection, transaction, "SELECT version FROM schema_migrations", r => r.Long(0), ct).ConfigureAwait(false)).ToHashSet();

        var count = 0;
        foreach (var (version, sql) in scripts.Where(s => !applied.Contains(s.Version)))
        {
            await SqlCommands.ExecuteAsync(connection, transaction, sql, ct).ConfigureAwait(false);
            await SqlCommands.ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @t)",
                ct, ("@v", version), ("@t", timeProvider.GetUtcNow())).ConfigureAwait(false);
            count++;
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return count;
    }

    private List<(long Version, string Sql)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"{typeof(SchemaMigrator).Namespace}.{dialect.MigrationFolder}.";
        var scripts = new List<(long, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = name[prefix.Length..];
            var version = long.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            scripts.Add((version, reader.ReadToEnd()));
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No migration scripts are embedded under {prefix}.");
        }

        return [.. scripts.OrderBy(s => s.Item1)];
    }
}
