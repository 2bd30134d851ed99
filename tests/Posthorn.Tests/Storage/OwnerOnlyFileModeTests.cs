using Microsoft.Data.Sqlite;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Storage;
using Posthorn.Storage.Secrets;

namespace Posthorn.Tests.Storage;

/// <summary>
/// Regression: the SQLite database (and its -wal/-shm) was created 0644, readable by every local
/// user. It and the Data Protection key ring are now the server user's alone (files 0600, folder 0700).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyFileModeTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string directory = Directory.CreateTempSubdirectory("posthorn-modes-").FullName;

    [Fact]
    public async Task NewDataFolder_DatabaseWalShmAndKeyRing_AreOwnerOnly()
    {
        await using (var storage = PosthornStorage.Open(null, directory))
        {
            await storage.MigrateAsync(CancellationToken.None);
            await AddServiceAsync(storage);
            var db = Path.Combine(directory, PosthornStorage.SqliteFileName);

            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(db));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(db + "-wal"));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(db + "-shm"));
        }

        var keys = Path.Combine(directory, KeyRingProvider.DefaultFolderName);
        Assert.Equal(OwnerOnlyFiles.FolderMode, File.GetUnixFileMode(keys));
        var keyFiles = Directory.GetFiles(keys);
        Assert.NotEmpty(keyFiles);
        Assert.All(keyFiles, f => Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(f)));
        Assert.All(keyFiles, f => Assert.EndsWith(".xml", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewDataFolder_IsOwnerOnly_SoPrivateRepositoriesInItAreToo_AnExistingOneIsLeftAsItIs()
    {
        var created = Path.Combine(directory, "new-data");
        await using (PosthornStorage.Open(null, created))
        {
            Assert.Equal(OwnerOnlyFiles.FolderMode, File.GetUnixFileMode(created));
        }

        var existing = Path.Combine(directory, "operators-data");
        const UnixFileMode groupReadable = OwnerOnlyFiles.FolderMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        Directory.CreateDirectory(existing);
        File.SetUnixFileMode(existing, groupReadable); // set after creating: the umask (077, say) applies to a mode given at creation
        await using (PosthornStorage.Open(null, existing))
        {
            Assert.Equal(groupReadable, File.GetUnixFileMode(existing));
        }
    }

    [Fact]
    public async Task ExistingWorldReadableDatabase_IsTightenedWhenOpened()
    {
        var db = Path.Combine(directory, PosthornStorage.SqliteFileName);
        await File.WriteAllBytesAsync(db, []);
        File.SetUnixFileMode(db, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var storage = PosthornStorage.Open(null, directory);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(db));
    }

    [Fact]
    public async Task ConfiguredKeysFolder_HoldsTheKeyRing_AndAnotherHandleOnItDecrypts()
    {
        var keys = Path.Combine(directory, "shared-keys");
        long repositoryId;
        long serviceId;
        await using (var first = PosthornStorage.Open(null, Path.Combine(directory, "a"), keysFolder: keys))
        {
            await first.MigrateAsync(CancellationToken.None);
            (repositoryId, serviceId) = await AddServiceAsync(first);
        }

        Assert.False(Directory.Exists(Path.Combine(directory, "a", KeyRingProvider.DefaultFolderName)));
        Assert.NotEmpty(Directory.GetFiles(keys, "*.xml"));
        await using var second = PosthornStorage.Open(null, Path.Combine(directory, "a"), keysFolder: keys);
        var found = await second.PostServices.FindServiceAsync(repositoryId, serviceId, CancellationToken.None);
        Assert.Equal("https://u:p@ci.example.com/hook", found!.Url);
    }

    private static async Task<(long RepositoryId, long ServiceId)> AddServiceAsync(StorageHandle storage)
    {
        var now = DateTimeOffset.UnixEpoch;
        var account = await storage.Accounts.CreateAccountAsync("alice", "alice@example.com", "hash", false, now, CancellationToken.None);
        var repository = await storage.Repositories.CreateRepositoryAsync(new NewRepository(account.Id, "repo", "Repo", false, ""), now, CancellationToken.None);
        var service = await storage.PostServices.CreateServiceAsync(
            repository.Id, new PostServiceSettings("https://u:p@ci.example.com/hook", PayloadFormat.Json, true, ["s"]), now, CancellationToken.None);
        return (repository.Id, service.Id);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
