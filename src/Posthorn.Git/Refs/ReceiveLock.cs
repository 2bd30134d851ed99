using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Posthorn.Git.Refs;

/// <summary>
/// Serializes receive-pack per repository, so the before/after ref snapshots of one push never
/// include another push's updates. A semaphore orders requests inside this process; an exclusive
/// lock file in the repository orders processes that share the disk (.NET takes an advisory
/// flock for FileShare.None on Unix). Thread-safe; register as a singleton.
/// </summary>
public sealed class ReceiveLock(IOptions<GitOptions> options, TimeProvider time)
{
    public const string FileName = "posthorn-receive.lock";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(25);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    /// <exception cref="TimeoutException">Another process held the lock for longer than <see cref="GitOptions.ReceiveLockTimeout"/>.</exception>
    public async Task<IAsyncDisposable> AcquireAsync(string gitDirectory, CancellationToken ct)
    {
        var key = Path.GetFullPath(gitDirectory);
        var gate = gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(options.Value.ReceiveLockTimeout, ct).ConfigureAwait(false))
        {
            throw new TimeoutException("Timed out waiting for another push to this repository.");
        }

        try
        {
            var file = await OpenExclusiveAsync(Path.Combine(key, FileName), ct).ConfigureAwait(false);
            return new Held(gate, file);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private async Task<FileStream> OpenExclusiveAsync(string path, CancellationToken ct)
    {
        var deadline = time.GetTimestamp() + (long)(options.Value.ReceiveLockTimeout.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (time.GetTimestamp() < deadline)
            {
                await Task.Delay(RetryDelay, time, ct).ConfigureAwait(false);
            }
        }
    }

    private sealed class Held(SemaphoreSlim gate, FileStream file) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await file.DisposeAsync().ConfigureAwait(false);
            gate.Release();
        }
    }
}
