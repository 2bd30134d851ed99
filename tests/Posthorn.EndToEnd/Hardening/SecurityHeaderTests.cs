using System.Net;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>Anti-framing, no sniffing and the content policy on every response: pages, API, git, assets and errors alike.</summary>
public sealed class SecurityHeaderTests(HardenedSite fixture) : IClassFixture<HardenedSite>
{
    [Theory]
    [InlineData("GET", "/", null)]
    [InlineData("GET", "/signin", null)]
    [InlineData("GET", "/alice/hardened", "alice")]
    [InlineData("GET", "/alice/hardened/admin/services", "bob")]
    [InlineData("GET", "/no/such/page/at/all", null)]
    [InlineData("GET", "/assets/site.css", null)]
    [InlineData("GET", "/api/meta", null)]
    [InlineData("GET", "/api/user", null)]
    [InlineData("POST", "/api/repos", "alice")]
    [InlineData("GET", "/healthz", null)]
    [InlineData("GET", "/alice/hardened.git/info/refs?service=git-upload-pack", "bob")]
    [InlineData("GET", "/alice/hardened.git/info/refs", "bob")]
    [InlineData("POST", "/alice/hardened.git/git-upload-pack", "bob")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string method, string path, string? user)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (user is not null)
        {
            request.Headers.Authorization = PosthornServer.Basic(user, Site.Password);
        }

        if (method == "POST")
        {
            request.Content = new StringContent("{not json", System.Text.Encoding.UTF8, path.StartsWith("/api", StringComparison.Ordinal) ? "application/json" : "application/x-git-upload-pack-request");
        }

        using var response = await fixture.Server.Http.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
    }
}
