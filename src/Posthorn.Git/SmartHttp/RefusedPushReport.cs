using System.Text;
using Microsoft.AspNetCore.Http;
using Posthorn.Git.Refs;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// Posthorn's own answer to a push it refused before git moved anything (a ref name it cannot record,
/// <see cref="ReceiveCommands"/>), in receive-pack's report-status (pack-protocol.txt): every command
/// is "ng" with its reason, so git prints "! [remote rejected] NAME (reason)" for each, and a line
/// on the side band says why the whole push was refused. An HTTP error body is never shown by git
/// for a push, so that is only the answer for a client that asked for no report.
/// </summary>
internal static class RefusedPushReport
{
    // Short enough for one packet of the smallest side band (1000 bytes); the names are in the "ng" lines.
    private const string Summary = "posthorn: push refused, no ref was changed; ref names must be UTF-8 without control characters";

    public static async Task WriteAsync(HttpContext context, ReceiveCommands commands)
    {
        var (refusedName, why) = commands.Refused ?? throw new InvalidOperationException("Nothing was refused.");
        var capabilities = commands.Capabilities;
        if (!capabilities.Contains("report-status") && !capabilities.Contains("report-status-v2"))
        {
            await GitHttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, $"{Summary}: the ref name {RefName.Shown(refusedName)} {why}.").ConfigureAwait(false);
            return;
        }

        var report = new MemoryStream();
        report.Write(PktLine.Encode("unpack ok\n"u8));
        foreach (var name in commands.Names)
        {
            var reason = ReferenceEquals(name, refusedName) ? "ref name " + why : "another ref name in this push is refused";
            report.Write(PktLine.Encode([.. "ng "u8, .. name, (byte)' ', .. Encoding.UTF8.GetBytes(reason), (byte)'\n']));
        }

        report.Write(PktLine.Flush);

        // With a side band (as every current git asks), the report travels on band 1 and the summary on band 2.
        var band = capabilities.Contains("side-band-64k") ? 65520 - 5 : capabilities.Contains("side-band") ? 1000 - 5 : 0;
        var body = new MemoryStream();
        if (band == 0)
        {
            report.Position = 0;
            report.CopyTo(body);
        }
        else
        {
            body.Write(PktLine.Encode([2, .. Encoding.UTF8.GetBytes(Summary + "\n")]));
            var bytes = report.ToArray();
            for (var offset = 0; offset < bytes.Length; offset += band)
            {
                body.Write(PktLine.Encode([1, .. bytes.AsSpan(offset, Math.Min(band, bytes.Length - offset))]));
            }

            body.Write(PktLine.Flush);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-git-receive-pack-result";
        context.Response.Headers.CacheControl = "no-cache";
        body.Position = 0;
        await body.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
