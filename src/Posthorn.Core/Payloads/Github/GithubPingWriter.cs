using System.Text.Json;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads.Github;

/// <summary>GitHub's <c>ping</c> document, sent by the Test button: <c>zen</c>, <c>hook_id</c>, <c>hook</c>, <c>repository</c>, <c>sender</c>.</summary>
public static class GithubPingWriter
{
    public const string Zen = "Keep it logically awesome.";

    public static string Write(PostService service, Repository repository, string user, string canonUrl)
    {
        ArgumentNullException.ThrowIfNull(service);
        return JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("zen", Zen);
            w.WriteNumber("hook_id", service.Id);
            w.WriteStartObject("hook");
            w.WriteString("type", "Repository");
            w.WriteNumber("id", service.Id);
            w.WriteString("name", "web");
            w.WriteBoolean("active", service.IsActive);
            w.WriteStartArray("events");
            foreach (var name in service.Events.Select(e => e == ServiceEvents.Push ? "push" : "pull_request").Distinct())
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
            w.WriteStartObject("config");
            w.WriteString("content_type", service.FormEncoded ? "form" : "json");
            w.WriteString("insecure_ssl", "0");
            w.WriteString("url", ServiceUrl.Mask(service.Url));
            w.WriteEndObject();
            w.WriteEndObject();
            GithubJson.WriteRepository(w, repository, canonUrl, null);
            GithubJson.WriteUser(w, "sender", user);
            w.WriteEndObject();
        });
    }
}
