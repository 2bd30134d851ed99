using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// Turns a CGI script's output (RFC 3875 §6: header lines, a "Status:" among them, a blank line,
/// the body) into the HTTP response, streaming the body.
/// </summary>
internal static class CgiOutput
{
    private const int MaxHeaderBytes = 64 * 1024;

    // Hop-by-hop fields belong to Kestrel's connection, not to the script.
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase) { "Connection", "Transfer-Encoding", "Keep-Alive" };

    /// <returns>false when the output held no complete header (the script failed before answering).</returns>
    public static async Task<bool> CopyAsync(Stream output, HttpResponse response, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var header = new MemoryStream();
        while (true)
        {
            var read = await output.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            header.Write(buffer, 0, read);
            var bytes = header.GetBuffer().AsSpan(0, (int)header.Length);
            var (end, separator) = FindBlankLine(bytes);
            if (end >= 0)
            {
                Apply(Encoding.Latin1.GetString(bytes[..end]), response);
                await response.Body.WriteAsync(header.GetBuffer().AsMemory(end + separator, (int)header.Length - end - separator), ct).ConfigureAwait(false);
                await output.CopyToAsync(response.Body, ct).ConfigureAwait(false);
                return true;
            }

            if (header.Length > MaxHeaderBytes)
            {
                return false;
            }
        }
    }

    private static (int End, int Separator) FindBlankLine(ReadOnlySpan<byte> bytes)
    {
        var crlf = bytes.IndexOf("\r\n\r\n"u8);
        var lf = bytes.IndexOf("\n\n"u8);
        return crlf >= 0 && (lf < 0 || crlf < lf) ? (crlf, 4) : (lf, lf >= 0 ? 2 : 0);
    }

    private static void Apply(string header, HttpResponse response)
    {
        foreach (var line in header.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                response.StatusCode = int.TryParse(value.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : StatusCodes.Status502BadGateway;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentLength = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;
            }
            else if (!Dropped.Contains(name))
            {
                response.Headers.Append(name, value);
            }
        }
    }
}
