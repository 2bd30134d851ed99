using System.Net.Http.Headers;
using System.Text;

namespace Posthorn.Delivery.Sending;

/// <summary>Formats headers as the "Name: value" lines stored with an attempt, masking credentials and signatures.</summary>
public static class HeaderLines
{
    /// <summary>A builder per thread, kept between attempts: growing a new one for every request's and response's headers was a tenth of what an attempt allocated.</summary>
    [ThreadStatic]
    private static StringBuilder? kept;

    /// <summary>Larger builders (a receiver's huge response headers) are let go rather than kept.</summary>
    private const int MaxKeptCapacity = 16 * 1024;

    public static string Format(HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var text = kept ?? new StringBuilder(1024);
        kept = null; // a builder is this call's alone until it is done
        text.Clear();
        Append(text, headers);
        if (contentHeaders is not null)
        {
            Append(text, contentHeaders);
        }

        while (text.Length > 0 && text[^1] == '\n')
        {
            text.Length--;
        }

        var lines = text.ToString();
        if (text.Capacity <= MaxKeptCapacity)
        {
            kept = text;
        }

        return lines;
    }

    private static void Append(StringBuilder text, HttpHeaders headers)
    {
        foreach (var (name, values) in headers.NonValidated)
        {
            foreach (var value in values)
            {
                text.Append(name).Append(": ").Append(Mask(name, value)).Append('\n');
            }
        }
    }

    /// <summary>Authorization keeps only its scheme; signatures keep their version tags (they are derived from the secrets).</summary>
    private static string Mask(string name, string value)
    {
        if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
        {
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            return space < 0 ? "***" : value[..space] + " ***";
        }

        if (name.Equals("webhook-signature", StringComparison.OrdinalIgnoreCase))
        {
            return string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split(',')[0] + ",***"));
        }

        // GitHub's and Bitbucket Cloud's "sha256=<hex>" / "sha1=<hex>": the algorithm stays, the HMAC goes.
        if (name.StartsWith("X-Hub-Signature", StringComparison.OrdinalIgnoreCase))
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            return equals < 0 ? "***" : value[..(equals + 1)] + "***";
        }

        return value;
    }
}
