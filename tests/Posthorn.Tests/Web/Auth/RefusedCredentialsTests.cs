using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Posthorn.Tests.Web.Auth;

/// <summary>
/// Credentials that are refused get 401 on git and the API even where none are needed: before, a
/// mistyped or revoked token on a public repository read as anonymous (200), and its owner learnt
/// nothing was wrong. Pages, and other schemes than Basic and Bearer, stay anonymous (a proxy's own).
/// </summary>
public sealed class RefusedCredentialsTests : IAsyncLifetime
{
    private AppHost host = null!;
    private string token = "";

    public async Task InitializeAsync()
    {
        host = await AppHost.StartAsync();
        token = await host.SignInAsAsync("ann");
        (await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "open" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    public static TheoryData<string> PublicReads() => new() { "/api/repos/ann/open", "/ann/open.git/info/refs?service=git-upload-pack", "/ann/open" };

    public static TheoryData<string> TokenReads() => new() { "/api/repos/ann/open", "/ann/open.git/info/refs?service=git-upload-pack" };

    [Theory]
    [MemberData(nameof(PublicReads))]
    public async Task NoCredentials_ReadAPublicRepository(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = host.Http.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(PublicReads))]
    public async Task ValidCredentials_ReadAPublicRepository(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await Send(path, new AuthenticationHeaderValue("Bearer", token))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(path, Basic("ann", "s3cret-password"))).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TokenReads))]
    public async Task RefusedCredentials_Get401WithTheChallenge_EvenOnAPublicRepository(string path)
    {
        foreach (var refused in new[]
        {
            new AuthenticationHeaderValue("Bearer", token[..^1] + (token[^1] == 'a' ? 'b' : 'a')),
            Basic("ann", "wrong-password"),
            Basic("nobody", "whatever-password"),
            new AuthenticationHeaderValue("Basic", "not base64!"),
        })
        {
            using var response = await Send(path, refused);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Basic realm=", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Contains("refused", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task APage_WithAProxysBasicHeader_OrAnotherScheme_IsReadAsAnonymous()
    {
        Assert.Equal(HttpStatusCode.OK, (await Send("/ann/open", Basic("proxy-user", "proxy-password"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("/api/repos/ann/open", new AuthenticationHeaderValue("Negotiate", "YIIGhgYJKoZIhvcSAQICAQBuggZ1"))).StatusCode);
    }

    [Fact]
    public async Task ARevokedToken_IsRefused_NotReadAsAnonymous()
    {
        var tokens = await host.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/user/tokens");
        var id = tokens.EnumerateArray().First().GetProperty("id").GetInt64();
        (await host.Http.DeleteAsync($"/api/user/tokens/{id}")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/api/repos/ann/open", new AuthenticationHeaderValue("Bearer", token))).StatusCode);
    }

    private async Task<HttpResponseMessage> Send(string path, AuthenticationHeaderValue authorization)
    {
        using var client = new HttpClient { BaseAddress = host.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return await client.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
