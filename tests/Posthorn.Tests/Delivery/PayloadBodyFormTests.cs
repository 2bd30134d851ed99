using System.Text;
using Posthorn.Core.PostServices;
using Posthorn.Delivery.Sending;

namespace Posthorn.Tests.Delivery;

/// <summary>The form-encoded body is byte for byte what FormUrlEncodedContent sends for ("payload", json).</summary>
public sealed class PayloadBodyFormTests
{
    public static TheoryData<string> Payloads() => new()
    {
        "",
        "{\"commits\":[]}",
        "{\"message\": \"fix: a+b = c & d\\n\", \"user\": \"jürgen 🚀\", \"path\": \"a/b?c=d#e;f,g\"}",
        "tabs\tnew\r\nlines %20 already-escaped %41 and +plus+ ~tilde_under.dot-dash",
        "\u00a0\u00ff\u0100\u07ff\u0800\uffef 中文 العربية",
        "lone \ud800 surrogate \udc00 halves",
        AllAscii(),
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task For_BitbucketPost_IsExactlyWhatFormUrlEncodedContentSends(string json)
    {
        var expected = await new FormUrlEncodedContent([new("payload", json)]).ReadAsByteArrayAsync();

        var body = PayloadBody.For(PayloadFormat.BitbucketPost, json);

        Assert.Equal(Encoding.ASCII.GetString(expected), Encoding.ASCII.GetString(body.Bytes));
        Assert.Equal(("application/x-www-form-urlencoded", (string?)null), (body.MediaType, body.CharSet));
    }

    private static string AllAscii()
    {
        var all = new StringBuilder();
        for (var c = (char)0; c < 128; c++)
        {
            all.Append(c);
        }

        return all.ToString();
    }
}
