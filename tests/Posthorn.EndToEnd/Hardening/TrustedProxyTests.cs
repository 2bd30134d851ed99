using System.Net;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>
/// X-Forwarded-For / X-Forwarded-Proto are believed only from Server:KnownProxies. From anyone
/// else they would let a client pick the address the throttle counts, or fake HTTPS.
/// </summary>
public sealed class TrustedProxyTests
{
    private static readonly Dictionary<string, string> LoopbackIsTheProxy = new() { ["Server__KnownProxies__0"] = "127.0.0.1" };

    [Fact]
    public async Task ForwardedFor_FromAnUnconfiguredPeer_IsIgnored()
    {
        await using var site = await Site.StartAsync();

        await FailFiveTimesAsync(site, "203.0.113.7");

        // The lock-out fell on the real peer (127.0.0.1), whatever address the header claimed.
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(site, "203.0.113.8", Site.Password));
    }

    [Fact]
    public async Task ForwardedFor_FromAConfiguredProxy_IsTheClientAddress()
    {
        await using var site = await Site.StartAsync(env: LoopbackIsTheProxy);

        await FailFiveTimesAsync(site, "203.0.113.7");

        Assert.Equal(HttpStatusCode.OK, await SignInAsync(site, "203.0.113.8", Site.Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignInAsync(site, "203.0.113.7", Site.Password));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SignInCookie_IsSecure_OnlyWhenATrustedProxySaysHttps(bool trusted)
    {
        await using var site = await Site.StartAsync(env: trusted ? LoopbackIsTheProxy : null);
        using var client = new FormClient(site.Server.BaseUrl);
        client.Headers["X-Forwarded-Proto"] = "https";

        Assert.True(await client.SignInAsync("alice", Site.Password));

        var cookie = Assert.Single(client.LastSetCookies, c => c.StartsWith("posthorn=", StringComparison.Ordinal));
        Assert.Equal(trusted, cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task FailFiveTimesAsync(Site site, string forwardedFor)
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(site, forwardedFor, "wrong-password"));
        }
    }

    private static async Task<HttpStatusCode> SignInAsync(Site site, string forwardedFor, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/user");
        request.Headers.Authorization = PosthornServer.Basic("bob", password);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await site.Server.Http.SendAsync(request);
        return response.StatusCode;
    }
}
