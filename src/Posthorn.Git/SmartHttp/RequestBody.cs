using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// Turns an RPC request body into the byte stream git reads: size-limited (before and after
/// gzip, so a small compressed body cannot expand without bound), gunzipped when the client
/// compressed it (remote-curl gzips large fetch negotiations, http-protocol.txt), and checked
/// for pkt-line framing. Nothing is buffered: bytes flow to git as they arrive.
/// </summary>
internal static class RequestBody
{
    /// <exception cref="RequestTooLargeException">Content-Length already says the body is too large.</exception>
    /// <exception cref="MalformedRequestException">An unsupported Content-Encoding.</exception>
    /// <param name="commands">For receive-pack: collects the ref commands (and refuses names that cannot be recorded).</param>
    public static Stream Open(HttpContext context, long limit, ReceiveCommands? commands = null)
    {
        Stream body = OpenRaw(context, limit);
        var encoding = context.Request.Headers.ContentEncoding.ToString();
        if (encoding is "gzip" or "x-gzip")
        {
            body = new LimitedReadStream(new GZipStream(body, CompressionMode.Decompress), limit);
        }
        else if (encoding.Length > 0 && encoding != "identity")
        {
            throw new MalformedRequestException("Unsupported Content-Encoding.");
        }

        return new PktLineCheckingStream(body, commands);
    }

    /// <summary>
    /// The body as it comes, read up to <paramref name="limit"/> bytes; Kestrel's own default limit (30 MB,
    /// which would cut off ordinary pushes, git's or Mercurial's) is replaced by ours.
    /// </summary>
    /// <exception cref="RequestTooLargeException">Content-Length already says the body is too large.</exception>
    public static Stream OpenRaw(HttpContext context, long limit)
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        return context.Request.ContentLength > limit
            ? throw new RequestTooLargeException(limit)
            : new LimitedReadStream(context.Request.Body, limit);
    }

    /// <summary>Copies the body into git's stdin, turning Kestrel's own limit failure into ours.</summary>
    public static async Task CopyAsync(Stream body, Stream stdin, long limit, CancellationToken ct)
    {
        try
        {
            await body.CopyToAsync(stdin, 64 * 1024, ct).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new RequestTooLargeException(limit);
        }
        catch (InvalidDataException)
        {
            throw new MalformedRequestException("The gzip request body is corrupt.");
        }
    }
}
