using Posthorn.Storage;

namespace Posthorn.Tests.Storage;

/// <summary>One database backend for <see cref="StoreContractTests"/>: a migrated database shared by a test class.</summary>
public interface IStoreFixture
{
    StorageHandle Storage { get; }

    /// <summary>Another handle (own connection pool, as another process would have) on the same database.</summary>
    StorageHandle OpenSecond();

    /// <summary>Two handles (as two processes would have) on one brand-new database that has not been migrated.</summary>
    Task<(StorageHandle First, StorageHandle Second)> OpenEmptyPairAsync();

    /// <summary>Deletes every row so each test starts from an empty, migrated database.</summary>
    Task ResetAsync();

    /// <summary>Runs raw SQL on the main database, bypassing the store (to see what is really stored), and returns the first column of the first row.</summary>
    Task<object?> RawScalarAsync(string sql);
}
