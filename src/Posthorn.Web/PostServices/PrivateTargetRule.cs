using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core;
using Posthorn.Delivery.Targets;

namespace Posthorn.Web.PostServices;

/// <summary>
/// Catches, when a service is saved, a URL the delivery guard would refuse at send time (a loopback
/// or private address on a server without --allow-private-targets), which otherwise shows up only
/// later as a permanent failure in the log. Only literal addresses and localhost are judged here:
/// a host name is resolved at send time, where the guard checks every address it resolves to.
/// </summary>
public static class PrivateTargetRule
{
    /// <summary>Why the server will refuse to POST to <paramref name="url"/>, or null when it will try.</summary>
    public static string? Problem(string url, bool allowPrivateTargets)
    {
        if (allowPrivateTargets || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host.Trim('[', ']');
        var kind = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ? "loopback"
            : IPAddress.TryParse(host, out var address) ? AddressRules.ForbiddenKind(address) : null;
        return kind is null ? null
            : $"{host} is a {kind} address and this server only POSTs to public addresses; start it with --allow-private-targets (Delivery__AllowPrivateTargets=true) to allow it.";
    }

    /// <summary>As below, with this server's Delivery:AllowPrivateTargets.</summary>
    public static void Enforce(string url, IServiceProvider services) =>
        Enforce(url, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Posthorn.Delivery.DeliveryOptions>>().Value.AllowPrivateTargets);

    /// <exception cref="ValidationException">The server would refuse the URL.</exception>
    public static void Enforce(string url, bool allowPrivateTargets)
    {
        if (Problem(url, allowPrivateTargets) is { } problem)
        {
            throw new ValidationException("url", problem);
        }
    }
}
