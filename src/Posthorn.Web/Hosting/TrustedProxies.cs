using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Posthorn.Web.Hosting;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto, believed only when the peer is one of
/// <see cref="ServerOptions.KnownProxies"/>. Behind a reverse proxy every user arrives from the
/// proxy's address, so the sign-in throttle needs the real client; but a header anyone can send
/// must never choose the address the throttle counts, nor make plain HTTP look like HTTPS.
/// With no proxies configured (the default) the headers are ignored entirely.
/// </summary>
public static class TrustedProxies
{
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var proxies = app.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value.KnownProxies;
        if (proxies.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk the chain from the right while each hop is a configured proxy; the first other address is the client.
            ForwardLimit = null,
        };

        // The framework trusts loopback by default; only what the operator listed is trusted here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        return app.UseForwardedHeaders(options);
    }

    /// <summary>Start-up check for <see cref="ServerOptions.KnownProxies"/>: IP addresses only.</summary>
    public static bool AreValid(IEnumerable<string> proxies) => proxies.All(p => IPAddress.TryParse(p, out _));
}
