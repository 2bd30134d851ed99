using System.Text;
using System.Text.Json;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads;

/// <summary>
/// The test ping an administrator sends from the services page: the push document's envelope with
/// no commits, plus <c>"event": "ping"</c> so receivers that care can tell it from a real push.
/// </summary>
public static class PingPayload
{
    public static string Write(Repository repository, string user, string canonUrl)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, PayloadJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("canon_url", PayloadJson.CanonUrl(canonUrl));
            writer.WriteStartArray("commits");
            writer.WriteEndArray();
            PayloadJson.WriteRepository(writer, repository);
            writer.WriteString("user", user);
            writer.WriteString("event", "ping");
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
