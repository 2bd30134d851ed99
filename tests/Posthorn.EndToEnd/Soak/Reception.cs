using System.Text;
using System.Text.Json;

namespace Posthorn.EndToEnd.Soak;

/// <summary>One request a soak receiver got, and whether it answered 2xx (accepted) or faulted.</summary>
public sealed record Reception(string DeliveryId, string Event, string ContentType, byte[] Body, bool Accepted)
{
    /// <summary>The payload document, whichever format the service uses (form field "payload" or JSON).</summary>
    public JsonElement Payload()
    {
        if (ContentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            return JsonDocument.Parse(Body).RootElement.Clone();
        }

        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.ASCII.GetString(Body));
        return JsonDocument.Parse(form["payload"].ToString()).RootElement.Clone();
    }
}
