using System.Text;

namespace Posthorn.Web.Pages.Shared;

/// <summary>
/// Makes a local URL safe for a Location header: HTTP headers are ASCII, and Kestrel refuses to
/// send anything else (a "/é" return URL after sign-in was a 500). Non-ASCII and control
/// characters are percent-encoded as UTF-8, which is what the browser would have sent anyway.
/// </summary>
public static class LocalUrl
{
    public static string ForLocation(string url)
    {
        if (url.All(c => c is >= ' ' and < (char)0x7F))
        {
            return url;
        }

        var text = new StringBuilder(url.Length * 3);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in url.EnumerateRunes())
        {
            if (rune.Value is >= ' ' and < 0x7F)
            {
                text.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
