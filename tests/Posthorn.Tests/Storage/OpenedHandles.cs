using Posthorn.Storage;

namespace Posthorn.Tests.Storage;

/// <summary>Every storage handle a fixture opened, so it can close them all before removing the data.</summary>
public sealed class OpenedHandles
{
    private readonly List<StorageHandle> handles = [];

    /// <summary>Opens a handle as <see cref="PosthornStorage.Open"/> does and remembers it.</summary>
    public StorageHandle Open(string? connectionString, string dataDirectory)
    {
        var handle = PosthornStorage.Open(connectionString, dataDirectory);
        lock (handles)
        {
            handles.Add(handle);
        }

        return handle;
    }

    public async Task DisposeAllAsync()
    {
        foreach (var handle in handles)
        {
            await handle.DisposeAsync();
        }
    }
}
