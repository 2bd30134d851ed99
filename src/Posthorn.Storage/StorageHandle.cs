using System.Data.Common;
using Microsoft.AspNetCore.DataProtection;
using Posthorn.Core.Accounts;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Storage.Migrations;
using Posthorn.Storage.Sql;

namespace Posthorn.Storage;

/// <summary>
/// Opened storage (see <see cref="PosthornStorage.Open"/>): the five store contracts, the matching
/// wake-up, migrations and readiness. Register it as a singleton and dispose it at shutdown; every
/// member is thread-safe. Stores signal <see cref="Wakeup"/> themselves after they queue
/// deliveries, so callers need not (doing so anyway is harmless).
/// </summary>
public sealed class StorageHandle : IAsyncDisposable, IDisposable
{
    private readonly SqlStore store;
    private readonly SchemaMigrator migrator;
    private readonly object[] owned;

    internal StorageHandle(SqlStore store, DbDataSource dataSource, IDeliveryWakeup wakeup, TimeProvider timeProvider, IDataProtectionProvider dataProtection, object[] owned)
    {
        this.store = store;
        Wakeup = wakeup;
        DataProtection = dataProtection;
        migrator = new SchemaMigrator(dataSource, store.Dialect, timeProvider);
        this.owned = owned;
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Backend => store.Dialect.Name;

    public IAccountStore Accounts => store;

    public ISessionStore Sessions => store;

    public IRepositoryStore Repositories => store;

    public IPushStore Pushes => store;

    public IPostServiceStore PostServices => store;

    public IDeliveryStore Deliveries => store;

    public IPullRequestStore PullRequests => store;

    /// <summary>LISTEN/NOTIFY across nodes on PostgreSQL; in-process on SQLite.</summary>
    public IDeliveryWakeup Wakeup { get; }

    /// <summary>
    /// Data Protection over the same key ring that encrypts stored secrets, for the host's other
    /// uses (sign-in cookies), so they too survive restarts and are read by every node.
    /// </summary>
    public IDataProtectionProvider DataProtection { get; }

    /// <summary>
    /// Brings the schema up to date, then encrypts any service secrets still stored in plain text
    /// (rows from before encryption at rest); idempotent and safe when several processes start at
    /// once. Returns how many scripts ran.
    /// </summary>
    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        var scripts = await migrator.MigrateAsync(ct).ConfigureAwait(false);
        await store.ProtectPlainServiceSecretsAsync(ct).ConfigureAwait(false);
        return scripts;
    }

    /// <summary>Readiness: true when the database answers.</summary>
    public Task<bool> PingAsync(CancellationToken ct) => store.PingAsync(ct);

    public async ValueTask DisposeAsync()
    {
        foreach (var item in owned)
        {
            switch (item)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
