using System.Globalization;
using Posthorn.Core.Deliveries;

namespace Posthorn.Web.Pages.Shared;

/// <summary>How times, ids and outcomes read on the pages: one place, so every page says them the same way.</summary>
public static class Display
{
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>
    /// A time element: UTC as the server renders it, turned into the viewer's local time with "3 min
    /// ago" by /assets/time.js, UTC in its tooltip. Without script it still reads correctly.
    /// </summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent TimeTag(DateTimeOffset? at)
    {
        if (at is not { } t)
        {
            return new Microsoft.AspNetCore.Html.HtmlString("—");
        }

        var utc = Time(t);
        return new Microsoft.AspNetCore.Html.HtmlString($"<time datetime=\"{Iso(t)}\" data-local data-utc=\"{utc}\" title=\"{utc}\">{utc}</time>");
    }

    /// <summary>
    /// A request or response body made readable: JSON indented, a form body decoded field by field
    /// (bitbucket-post's payload= field holds JSON, indented too). Anything else as it is.
    /// </summary>
    public static string Readable(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return body ?? "";
        }

        if (Indented(body) is { } json)
        {
            return json;
        }

        if (body.Contains('=', StringComparison.Ordinal) && !body.Contains(' ', StringComparison.Ordinal) && !body.Contains('\n', StringComparison.Ordinal))
        {
            var fields = body.Split('&').Select(pair =>
            {
                var parts = pair.Split('=', 2);
                var value = parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
                return $"{Uri.UnescapeDataString(parts[0])} = {Indented(value) ?? value}";
            });
            return string.Join("\n", fields);
        }

        return body;
    }

    private static readonly System.Text.Json.JsonSerializerOptions IndentedJson = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // shown as text in HTML-encoded output, never as script
    };

    private static string? Indented(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return System.Text.Json.JsonSerializer.Serialize(document.RootElement, IndentedJson);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The machine-readable value for a time element's datetime attribute.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static string ShortId(string objectId) => objectId.Length > 12 ? objectId[..12] : objectId;

    public static string Outcome(AttemptOutcome? outcome) => outcome switch
    {
        null => "none yet",
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.RetryableFailure => "failed (will retry)",
        AttemptOutcome.PermanentFailure => "failed (permanent)",
        _ => "gone (410)",
    };

    public static string Status(DeliveryStatus status) => Api.DeliveryView.StatusName(status);

    public static string Milliseconds(TimeSpan duration) => duration.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
