using System.Text.Encodings.Web;
using System.Text.Json;

namespace Posthorn.Web.Pages.Admin;

/// <summary>
/// The document inside a stored request body, made readable for the delivery page whatever the
/// format: a form-encoded <c>payload=</c> is decoded (bitbucket-post, GitHub's form variant), JSON is
/// indented. A body cut by the stored-body limit is not valid JSON: it is shown decoded but as sent.
/// </summary>
public static class SentDocument
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The readable document, or null when the body holds none (then the raw body says it all).</summary>
    public static string? Readable(string requestBody)
    {
        ArgumentNullException.ThrowIfNull(requestBody);
        var form = requestBody.StartsWith("payload=", StringComparison.Ordinal);
        var json = form ? Uri.UnescapeDataString(requestBody["payload=".Length..].Replace('+', ' ')) : requestBody;
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return form ? json : null;
        }
    }
}
