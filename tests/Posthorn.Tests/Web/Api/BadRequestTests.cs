using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Posthorn.Tests.Web.Api;

/// <summary>A request the API cannot read is answered with what was wrong, in words — not "HTTP 400 for POST" and not a .NET type name.</summary>
public sealed class BadRequestTests : IAsyncLifetime
{
    private AppHost host = null!;

    public async Task InitializeAsync()
    {
        host = await AppHost.StartAsync();
        await host.SignInAsAsync("ann");
        Assert.Equal(HttpStatusCode.Created, (await host.Http.PostAsJsonAsync("/api/repos", new { owner = "ann", slug = "tool" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.Http.PostAsJsonAsync("/api/repos/ann/tool/services", new { url = "http://127.0.0.1:9/hook" })).StatusCode);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task MalformedJson_SaysItIsNotJsonAndWhere()
    {
        var (status, error) = await PostAsync("/api/repos", "{\"owner\": ann}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("The body is not valid JSON (line 1, byte ", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSince_NamesTheFieldAndTheExpectedForm()
    {
        var (status, error) = await PostAsync("/api/repos/ann/tool/services/1/redeliver", "{\"since\": \"yesterday\"}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("'since' has a value of the wrong type: expected an ISO 8601 time such as 2026-01-31T12:00:00Z.", error.GetProperty("detail").GetString());
        Assert.Equal("since", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task MissingBody_SaysABodyIsRequired()
    {
        var (status, error) = await PostAsync("/api/repos/ann/tool/services/1/redeliver", "");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.DoesNotContain("HTTP 400", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonElement Error)> PostAsync(string path, string body)
    {
        using var response = await host.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
