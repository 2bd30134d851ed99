using System.Net.Http.Headers;
using Posthorn.Delivery.Sending;

namespace Posthorn.Tests.Delivery;

/// <summary>The stored header text: one "Name: value" line per value, credentials masked, and nothing carried over from the thread's previous call.</summary>
public sealed class HeaderLinesTests
{
    [Fact]
    public void Format_WritesALinePerValue_MasksCredentials_AndEndsWithoutANewline()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/hook") { Content = new ByteArrayContent([1]) };
        request.Headers.Add("X-Posthorn-Attempt", "2");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var lines = HeaderLines.Format(request.Headers, request.Content.Headers);

        Assert.Equal("X-Posthorn-Attempt: 2\nAuthorization: Basic ***\nContent-Type: application/json", lines);
    }

    [Fact]
    public void Format_AfterALongerSetOnTheSameThread_HoldsOnlyItsOwnLines()
    {
        using var large = new HttpRequestMessage();
        for (var i = 0; i < 200; i++)
        {
            large.Headers.Add($"X-Padding-{i}", new string('x', 100));
        }

        using var small = new HttpRequestMessage();
        small.Headers.Add("X-Only", "one");

        var first = HeaderLines.Format(large.Headers, null);
        var second = HeaderLines.Format(small.Headers, null);
        var third = HeaderLines.Format(new HttpRequestMessage().Headers, null);

        Assert.Equal(200, first.Split('\n').Length);
        Assert.Equal("X-Only: one", second);
        Assert.Equal("", third);
    }
}
