using Microsoft.Playwright;

namespace Posthorn.EndToEnd.Browser;

/// <summary>
/// The pages under their Content-Security-Policy in a real browser: nothing they use is blocked,
/// and the delete confirmation (moved out of an inline onsubmit, which the policy forbids) still asks.
/// </summary>
public sealed class ContentPolicyTests(BrowserSite fixture) : IClassFixture<BrowserSite>
{
    [Fact]
    public async Task Pages_LoadUnderThePolicy_WithoutViolations()
    {
        await fixture.Site.CreateRepositoryAsync("policed");
        var service = await fixture.Site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/policed/services", body: new { url = fixture.Receiver.Url + "/policed" });
        var page = await fixture.PageAsync("alice");
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        foreach (var path in new[] { "/", "/new", "/settings/tokens", "/alice/policed", "/alice/policed/admin/services", $"/alice/policed/admin/services/{service.GetProperty("id").GetInt64()}", "/alice/policed/admin/permissions" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            Assert.Contains("frame-ancestors 'none'", await response.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        }

        // The stylesheet applied: it sets the body margin to 0, a blocked one would leave the browser default of 8px.
        Assert.NotEqual("8px", await page.EvaluateAsync<string>("getComputedStyle(document.body).margin"));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task DeleteService_AsksFirst_DismissKeeps_AcceptDeletes()
    {
        await fixture.Site.CreateRepositoryAsync("confirmed");
        var service = await fixture.Site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/confirmed/services", body: new { url = fixture.Receiver.Url + "/confirmed" });
        var path = $"/alice/confirmed/admin/services/{service.GetProperty("id").GetInt64()}";
        var page = await fixture.PageAsync("alice");
        await page.GotoAsync(path);

        var asked = new List<string>();
        void Dismiss(object? _, IDialog dialog)
        {
            asked.Add(dialog.Message);
            _ = dialog.DismissAsync();
        }

        page.Dialog += Dismiss;
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete service" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path) + "$"));
        Assert.Equal(["Delete this POST service and its deliveries?"], asked);
        Assert.Single((await fixture.Site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/confirmed/services")).EnumerateArray());

        page.Dialog -= Dismiss;
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete service" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path) + "$"));
        Assert.Empty((await fixture.Site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/confirmed/services")).EnumerateArray());
    }
}
