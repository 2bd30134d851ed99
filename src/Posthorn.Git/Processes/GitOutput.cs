using System.Text;

namespace Posthorn.Git.Processes;

/// <summary>Small conveniences for commands whose whole output is small (ref lists, counts).</summary>
public static class GitOutput
{
    /// <summary>Runs <paramref name="invocation"/>, which must succeed, and returns its stdout as UTF-8 text.</summary>
    public static async Task<string> ReadTextAsync(this GitRunner runner, GitInvocation invocation, CancellationToken ct)
    {
        var text = "";
        var result = await runner.RunAsync(
            invocation with
            {
                Stdout = async (stdout, token) =>
                {
                    using var reader = new StreamReader(stdout, Encoding.UTF8, leaveOpen: true);
                    text = await reader.ReadToEndAsync(token).ConfigureAwait(false);
                },
            },
            ct).ConfigureAwait(false);
        return result.Succeeded ? text : throw new GitCommandException(invocation.Arguments[0], result);
    }

    /// <summary>Runs <paramref name="invocation"/>, which must succeed, and returns its stdout as bytes (for names git need not have written in UTF-8).</summary>
    public static async Task<byte[]> ReadBytesAsync(this GitRunner runner, GitInvocation invocation, CancellationToken ct)
    {
        var output = new MemoryStream();
        var result = await runner.RunAsync(invocation with { Stdout = (stdout, token) => stdout.CopyToAsync(output, token) }, ct).ConfigureAwait(false);
        return result.Succeeded ? output.ToArray() : throw new GitCommandException(invocation.Arguments[0], result);
    }

    /// <summary>A stdin writer that sends <paramref name="lines"/>, one per line, without building one big string.</summary>
    /// <remarks>
    /// A small buffer: a 64 Ki-char one put a 128 KB char[] and a 192 KB byte[] on the large object heap
    /// for every call (one per push, for the payload's git log), and those allocations drove gen-2
    /// collections. A pipe takes 4 KB writes as well as larger ones.
    /// </remarks>
    public static Func<Stream, CancellationToken, Task> Lines(IEnumerable<string> lines) => async (stdin, ct) =>
    {
        await using var writer = new StreamWriter(stdin, new UTF8Encoding(false), 4096, leaveOpen: true) { NewLine = "\n" };
        foreach (var line in lines)
        {
            await writer.WriteLineAsync(line.AsMemory(), ct).ConfigureAwait(false);
        }

        await writer.FlushAsync(ct).ConfigureAwait(false);
    };
}
