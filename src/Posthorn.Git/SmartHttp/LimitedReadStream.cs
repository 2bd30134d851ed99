namespace Posthorn.Git.SmartHttp;

/// <summary>Counts the bytes read through it and fails with <see cref="RequestTooLargeException"/> past a limit.</summary>
internal sealed class LimitedReadStream(Stream inner, long limit) : ReadOnlyForwardingStream
{
    private long total;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        total += read;
        return total > limit ? throw new RequestTooLargeException(limit) : read;
    }
}
