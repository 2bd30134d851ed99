using System.Net;
using System.Net.Http.Headers;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>Regressions for inputs that were answered 500: each is the client's mistake and gets a 4xx or a page.</summary>
public sealed class BadInputTests(HardenedSite fixture) : IClassFixture<HardenedSite>
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("nobody\n")]
    public async Task PermissionsRevoke_WithEmptyOrInvalidUsername_ShowsThePage(string username)
    {
        using var client = new FormClient(fixture.Server.BaseUrl);
        Assert.True(await client.SignInAsync("alice", Site.Password));
        var path = $"/alice/{HardenedSite.Slug}/admin/permissions";
        var token = await client.TokenAsync(path);

        var (response, body) = await client.PostFormAsync(path + "?handler=Revoke", [new("username", username)], token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Grant access", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PermissionsRevoke_WithNoUsernameFieldAtAll_ShowsThePage()
    {
        using var client = new FormClient(fixture.Server.BaseUrl);
        Assert.True(await client.SignInAsync("alice", Site.Password));
        var path = $"/alice/{HardenedSite.Slug}/admin/permissions";
        var token = await client.TokenAsync(path);

        var (response, _) = await client.PostFormAsync(path + "?handler=Revoke", [], token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Page_WithNoMatchingHandler_Is405Or404_NotAnUnloadedPage()
    {
        // Found by the fuzz run: Razor Pages rendered the page without its loading handler and the view hit nulls (500).
        using var client = new FormClient(fixture.Server.BaseUrl);
        Assert.True(await client.SignInAsync("alice", Site.Password));
        var token = await client.TokenAsync($"/alice/{HardenedSite.Slug}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostFormAsync($"/alice/{HardenedSite.Slug}", [], token)).Response.StatusCode);
        // Only named POST handlers there (Grant, Revoke): a POST naming none of them is an unknown handler.
        var permissions = $"/alice/{HardenedSite.Slug}/admin/permissions";
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync(permissions, [], token)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync(permissions + "?handler=Nonsense", [], token)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(permissions)).Response.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithNonAsciiReturnUrl_RedirectsWithAnEncodedLocation()
    {
        using var client = new FormClient(fixture.Server.BaseUrl);

        Assert.True(await client.SignInAsync("carol", Site.Password, returnUrl: "/alice/é?x=ü"));

        var (response, _) = await ReplayLastSignInAsync(client);
        Assert.Equal("/alice/%C3%A9?x=%C3%BC", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task UploadPack_WellFramedButInvalid_Is400NotGitFailure()
    {
        // Framed correctly, but not a request upload-pack accepts: git dies (exit 128) on the client's input.
        var body = "000dgarbage\n0000" + "0009done\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/alice/{HardenedSite.Slug}.git/git-upload-pack")
        {
            Content = new StringContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-upload-pack-request");
        request.Headers.Authorization = PosthornServer.Basic("bob", Site.Password);

        using var response = await fixture.Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ReceivePack_WellFramedButInvalid_Is400()
    {
        // A fetch request sent to receive-pack: git dies with "protocol error: expected old/new/ref".
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/alice/{HardenedSite.Slug}.git/git-receive-pack")
        {
            Content = new StringContent("0032want 1111111111111111111111111111111111111111\n0000"),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-receive-pack-request");
        request.Headers.Authorization = PosthornServer.Basic("carol", Site.Password);

        using var response = await fixture.Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<(HttpResponseMessage Response, string Body)> ReplayLastSignInAsync(FormClient client)
    {
        // Sign in again to read the redirect itself (SignInAsync only reports that one happened).
        var token = await client.TokenAsync("/signin");
        return await client.PostFormAsync("/signin?ReturnUrl=" + Uri.EscapeDataString("/alice/é?x=ü"), [new("Username", "carol"), new("Password", Site.Password)], token);
    }
}
