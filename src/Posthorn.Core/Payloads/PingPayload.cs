using System.Text;
using System.Text.Json;
using Posthorn.Core.Payloads.BitbucketCloud;
using Posthorn.Core.Payloads.Github;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads;

/// <summary>
/// The test ping an administrator sends from the services page: the push document's envelope with
/// no commits, plus <c>"event": "ping"</c> so receivers that care can tell it from a real push.
/// Format github gets GitHub's own ping; bitbucket-cloud (which has no ping event) its envelope,
/// <c>actor</c> and <c>repository</c>, with the same <c>"event": "ping"</c>.
/// </summary>
public static class PingPayload
{
    /// <summary>The ping in the service's format.</summary>
    public static string For(PostService service, Repository repository, string user, string canonUrl)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Format switch
        {
            PayloadFormat.Github => GithubPingWriter.Write(service, repository, user, canonUrl),
            PayloadFormat.BitbucketCloud => JsonText.Write(w =>
            {
                w.WriteStartObject();
                BitbucketCloudJson.WriteUser(w, "actor", user);
                BitbucketCloudJson.WriteRepository(w, repository, canonUrl);
                w.WriteString("event", "ping");
                w.WriteEndObject();
            }),
            _ => Write(repository, user, canonUrl),
        };
    }

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
