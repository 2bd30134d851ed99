using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// Applies <see cref="GitOptions.MinRequestBodyBytesPerSecond"/> to one git request through
/// Kestrel's per-request data rate: git reads the body as it arrives, so a client that trickles it
/// would otherwise keep a git process (and, for a push, the repository's receive lock) alive for
/// as long as it likes. Kestrel times only the reads, so waiting for a process does not count.
/// </summary>
internal static class SlowBodyLimit
{
    public static void Apply(HttpContext context, GitOptions options)
    {
        // Absent under servers other than Kestrel (the in-memory test host); nothing to set there.
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is not { } feature)
        {
            return;
        }

        feature.MinDataRate = options.MinRequestBodyBytesPerSecond == 0
            ? null
            : new MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGracePeriod);
    }
}
