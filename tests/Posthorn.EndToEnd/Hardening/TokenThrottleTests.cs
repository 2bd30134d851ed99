using System.Net;
using System.Net.Http.Headers;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>
/// Regression: five bad Bearer tokens from one address locked every valid token from that address
/// out for five minutes (behind a proxy or NAT: everyone). A valid token must always work.
/// </summary>
public sealed class TokenThrottleTests
{
    [Fact]
    public async Task ValidToken_StillWorks_AfterManyBadTokensFromTheSameAddress()
    {
        await using var site = await Site.StartAsync();
        var token = (await site.ApiJsonAsync(HttpMethod.Post, "/api/user/tokens", "alice", new { name = "ci" })).GetProperty("token").GetString()!;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add(await BearerAsync(site, "ph_" + new string((char)('a' + (i % 26)), 43)));
        }

        // Bad tokens are throttled (401, then 429 past the limit), never let through.
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        Assert.Equal(HttpStatusCode.OK, await BearerAsync(site, token));

        // The same token as a Basic password (how git sends it) works too, and so does a password.
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/api/user");
        basic.Headers.Authorization = PosthornServer.Basic("git", token);
        Assert.Equal(HttpStatusCode.OK, (await site.Server.Http.SendAsync(basic)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await site.ApiAsync(HttpMethod.Get, "/api/user", "bob")).StatusCode);
    }

    private static async Task<HttpStatusCode> BearerAsync(Site site, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/user");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await site.Server.Http.SendAsync(request);
        return response.StatusCode;
    }
}
