using System.Text.Encodings.Web;
using System.Text.Json;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads;

/// <summary>Pieces shared by the push and ping documents, so both describe a repository identically.</summary>
public static class PayloadJson
{
    /// <summary>
    /// Relaxed escaping keeps non-ASCII names readable, as the original service sent them; the
    /// document is still valid JSON (the form encoding of format bitbucket-post escapes the rest).
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The seed's <c>repository</c> object, keys in the seed's (alphabetical) order.</summary>
    public static void WriteRepository(Utf8JsonWriter writer, Repository repository)
    {
        writer.WriteStartObject("repository");
        writer.WriteString("absolute_url", repository.AbsoluteUrl);
        writer.WriteBoolean("fork", repository.IsFork);
        writer.WriteBoolean("is_private", repository.IsPrivate);
        writer.WriteString("name", repository.Name);
        writer.WriteString("owner", repository.Owner);
        writer.WriteString("scm", repository.Scm);
        writer.WriteString("slug", repository.Slug);
        writer.WriteString("website", repository.Website ?? "");
        writer.WriteEndObject();
    }

    /// <summary>The server's public base URL, without the trailing slash the seed never has.</summary>
    public static string CanonUrl(string canonUrl) => canonUrl.TrimEnd('/');
}
