using System.Collections.Concurrent;
using Posthorn.Core.PostServices;

namespace Posthorn.Delivery.Sending;

/// <summary>
/// What the sender derives from a service's URL and the target it expands to: the check, the parsed
/// address, the address on the wire (without user-info), and the masked form for the attempt log. It
/// is the same on every attempt to the same target, and deriving it again (the URL checked twice,
/// parsed, rebuilt without credentials, masked) was a few percent of a delivery's CPU. Keyed by both
/// strings, so an edited URL is a new entry; dropped whole past <see cref="Capacity"/>. Thread-safe.
/// </summary>
public sealed class SendTargets
{
    private const int Capacity = 4_096;

    private readonly ConcurrentDictionary<(string ServiceUrl, string Target), SendTarget> known = new();

    public SendTarget For(string serviceUrl, string target)
    {
        if (known.TryGetValue((serviceUrl, target), out var found))
        {
            return found;
        }

        var derived = SendTarget.Of(serviceUrl, target);
        if (known.Count >= Capacity)
        {
            known.Clear();
        }

        known[(serviceUrl, target)] = derived;
        return derived;
    }
}

/// <summary>A target as the sender uses it; <see cref="Url"/> and <see cref="OnTheWire"/> are null when <see cref="Invalid"/> says why.</summary>
public sealed record SendTarget(string Masked, string? Invalid, Uri? Url, Uri? OnTheWire)
{
    public static SendTarget Of(string serviceUrl, string target)
    {
        var masked = ServiceUrl.Mask(target);

        // A template saved before placeholders were kept out of the host is refused here too.
        var invalid = UrlTemplate.PlaceholderInAuthority(serviceUrl) ? ServiceUrl.Validate(serviceUrl) : ServiceUrl.Validate(target);
        if (invalid is null && UrlTemplate.HasPlaceholders(serviceUrl) && UrlTemplate.ValueMakesDotSegment(serviceUrl, target))
        {
            invalid = "a placeholder's value (a branch, tag or name that is \".\" or \"..\") would make a path segment that removes the one before it, sending the request to another path than the URL's.";
        }

        if (invalid is not null)
        {
            return new SendTarget(masked, invalid, null, null);
        }

        var url = ServiceUrl.Parse(target);
        return new SendTarget(masked, null, url, ServiceUrl.WithoutCredentials(url));
    }
}
