using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Posthorn.Tests.Web.Api;

/// <summary>A URL the server would refuse to POST to is refused when it is saved, not reported later as a permanent failure.</summary>
public sealed class PrivateTargetTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hook", "loopback")]
    [InlineData("http://localhost/hook", "loopback")]
    [InlineData("http://10.1.2.3/hook", "private")]
    [InlineData("http://[::1]/hook", "loopback")]
    public async Task PrivateUrl_WithoutAllowPrivateTargets_IsRefusedNamingTheFix(string url, string kind)
    {
        await using var host = await AppHost.StartAsync(allowPrivateTargets: false);
        await host.SignInAsAsync("ann");
        await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "tool" });

        using var response = await host.Http.PostAsJsonAsync("/api/repos/ann/tool/services", new { url });
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("url", error.GetProperty("field").GetString());
        Assert.Contains($"is a {kind} address", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("--allow-private-targets", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicUrl_IsAccepted()
    {
        await using var host = await AppHost.StartAsync(allowPrivateTargets: false);
        await host.SignInAsAsync("ann");
        await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "tool" });

        using var response = await host.Http.PostAsJsonAsync("/api/repos/ann/tool/services", new { url = "https://ci.example.com/hook" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
