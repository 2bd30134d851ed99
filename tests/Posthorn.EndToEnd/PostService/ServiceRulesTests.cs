using System.Net;
using System.Text.Json;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>A server with the default limits.</summary>
public sealed class RuleSites : SiteFixture
{
    protected override IDictionary<string, string> Environment { get; } = new Dictionary<string, string>();
}

/// <summary>What the API refuses when a service is saved, through the real server.</summary>
public sealed class ServiceRulesTests(RuleSites sites) : IClassFixture<RuleSites>
{
    // Regression: with http://user:pw@${branch}:18504/ a writer pushed a branch named 127.0.0.2 and
    // the delivery, Basic credentials included, went there.
    [Theory]
    [InlineData("http://user:pw@${branch}:18504/")]
    [InlineData("https://ci.example.com:${branch}/hook")]
    [InlineData("https://${owner}.example.com/hook")]
    public async Task Create_PlaceholderInSchemeUserInfoHostOrPort_Is400NamingTheUrl(string url)
    {
        var site = await sites.SiteAsync();
        var slug = "tmpl" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(url)))[..8].ToLowerInvariant();
        await Repos.CreateAsync(site, slug);

        using var response = await site.ApiAsync(HttpMethod.Post, $"/api/repos/alice/{slug}/services", body: new { url });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("url", error.GetProperty("field").GetString());
        Assert.Contains("only in the path or query", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await site.ApiJsonAsync(HttpMethod.Get, $"/api/repos/alice/{slug}/services")).EnumerateArray());
    }

    [Fact]
    public async Task Create_TwentyFirstServiceOfARepository_Is409_WithTheLimitNamed()
    {
        var site = await sites.SiteAsync();
        await Repos.CreateAsync(site, "many");
        for (var i = 0; i < 20; i++)
        {
            await Hook.AddAsync(site, "many", $"http://127.0.0.1:9/hook/{i}?b=${{branch}}");
        }

        using var response = await site.ApiAsync(HttpMethod.Post, "/api/repos/alice/many/services", body: new { url = "http://127.0.0.1:9/one-too-many" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("conflict", error.GetProperty("error").GetString());
        Assert.Contains("MaxPerRepository", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/many/services")).GetArrayLength());
    }
}
