using System.Net;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>Regression: after "Sign out" a copied cookie still worked until it expired; the session now ends on the server.</summary>
public sealed class SessionTests(HardenedSite fixture) : IClassFixture<HardenedSite>
{
    [Fact]
    public async Task SignOut_EndsTheSession_ACopiedCookieStopsWorking()
    {
        using var browser = new FormClient(fixture.Server.BaseUrl);
        Assert.True(await browser.SignInAsync("dave", Support.Site.Password));
        using var thief = new FormClient(fixture.Server.BaseUrl);
        foreach (var (name, value) in browser.Cookies)
        {
            thief.Cookies[name] = value;
        }

        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/settings/tokens")).Response.StatusCode);

        var token = await browser.TokenAsync("/signout");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/signout", [], token)).Response.StatusCode);

        var (response, _) = await thief.GetAsync("/settings/tokens");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/signin", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsOnlyThatSession()
    {
        using var first = new FormClient(fixture.Server.BaseUrl);
        using var second = new FormClient(fixture.Server.BaseUrl);
        Assert.True(await first.SignInAsync("carol", Support.Site.Password));
        Assert.True(await second.SignInAsync("carol", Support.Site.Password));

        var token = await first.TokenAsync("/signout");
        await first.PostFormAsync("/signout", [], token);

        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/settings/tokens")).Response.StatusCode);
    }
}
