using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Posthorn.Core.PostServices;

namespace Posthorn.Delivery.Sending;

/// <summary>
/// <see cref="PayloadBody.For"/> once per payload and format: the deliveries of one push to many
/// services share one payload string (the claim reads it once per push), and form-encoding it again
/// for every attempt was a tenth of a delivery's CPU. Keyed by the payload string instance, so an
/// entry lives exactly as long as some claimed delivery still holds that payload. The bodies are
/// never written to after they are built. Thread-safe.
/// </summary>
public static class PayloadBodies
{
    private static readonly ConditionalWeakTable<string, ConcurrentDictionary<(PayloadFormat Format, bool FormEncoded), PayloadBody>> Built = [];

    /// <summary>The body as <paramref name="service"/> sends it (its format, and github's form variant when asked for).</summary>
    public static PayloadBody For(PostService service, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(service);
        return For(service.Format, service.FormEncoded, payloadJson);
    }

    public static PayloadBody For(PayloadFormat format, string payloadJson) => For(format, formEncoded: false, payloadJson);

    private static PayloadBody For(PayloadFormat format, bool formEncoded, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        return Built.GetOrCreateValue(payloadJson).GetOrAdd((format, formEncoded), static (key, json) => PayloadBody.For(key.Format, key.FormEncoded, json), payloadJson);
    }
}
