using System.Net;
using System.Text;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hosting;

/// <summary>The REST API's basics: documents, health, errors, tokens, repository lifecycle.</summary>
public sealed class RestApiTests : IAsyncLifetime
{
    private Site site = null!;

    public async Task InitializeAsync() => site = await Site.StartAsync();

    public async Task DisposeAsync() => await site.DisposeAsync();

    [Fact]
    public async Task OpenApiDocumentAndHealthEndpoints_AreServed()
    {
        var openapi = await site.Server.Http.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/repos/{owner}/{slug}/services", openapi, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await site.Server.Http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await site.Server.Http.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task MalformedJson_GetsClear400InTheErrorShape()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/repos") { Content = new StringContent("{\"slug\": ", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = PosthornServer.Basic("alice", Site.Password);
        using var response = await site.Server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"error\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateRepository_ValidatesAndConflicts()
    {
        using var bad = await site.ApiAsync(HttpMethod.Post, "/api/repos", body: new { slug = "../etc" });
        using var created = await site.ApiAsync(HttpMethod.Post, "/api/repos", body: new { slug = "api-made", is_private = true });
        using var again = await site.ApiAsync(HttpMethod.Post, "/api/repos", body: new { slug = "api-made" });
        using var forOther = await site.ApiAsync(HttpMethod.Post, "/api/repos", "bob", new { owner = "alice", slug = "sneaky" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"field\":\"slug\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forOther.StatusCode);

        using var deleted = await site.ApiAsync(HttpMethod.Delete, "/api/repos/alice/api-made");
        using var gone = await site.ApiAsync(HttpMethod.Get, "/api/repos/alice/api-made");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Token_WorksForGitAndApi_AndStopsWorkingWhenRevoked()
    {
        await site.CreateRepositoryAsync("tokened", isPrivate: true);
        var created = await site.ApiJsonAsync(HttpMethod.Post, "/api/user/tokens", body: new { name = "laptop" });
        var token = created.GetProperty("token").GetString()!;
        var listed = await site.ApiJsonAsync(HttpMethod.Get, "/api/user/tokens");

        Assert.DoesNotContain(token, listed.ToString(), StringComparison.Ordinal);
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "tok"), "a");
        await site.Git.RunAsync(work, "push", site.Server.GitUrl("alice", "tokened", "anything", token), "main");

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/user");
        bearer.Headers.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await site.Server.Http.SendAsync(bearer)).StatusCode);

        await site.ApiJsonAsync(HttpMethod.Get, "/api/user/tokens");
        using var revoke = await site.ApiAsync(HttpMethod.Delete, $"/api/user/tokens/{created.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var afterRevoke = await site.Git.TryRunAsync(work, "push", site.Server.GitUrl("alice", "tokened", "anything", token), "main:refs/heads/again");
        Assert.NotEqual(0, afterRevoke.ExitCode);
    }

    [Fact]
    public async Task Pushes_ArePagedNewestFirst()
    {
        await site.CreateRepositoryAsync("paged");
        var work = await site.Git.InitWithCommitsAsync(Path.Combine(site.Folder.Path, "paged"), "a");
        for (var i = 0; i < 3; i++)
        {
            await site.Git.RunAsync(work, "push", "-q", site.Url("paged"), $"main:refs/heads/b{i}");
        }

        var first = await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/paged/pushes?limit=2");
        var next = first.GetProperty("next_before").GetInt64();
        var second = await site.ApiJsonAsync(HttpMethod.Get, $"/api/repos/alice/paged/pushes?limit=2&before={next}");

        Assert.Equal("refs/heads/b2", first.GetProperty("pushes")[0].GetProperty("ref_updates")[0].GetProperty("ref").GetString());
        Assert.Equal(2, first.GetProperty("pushes").GetArrayLength());
        Assert.Equal("refs/heads/b0", second.GetProperty("pushes")[0].GetProperty("ref_updates")[0].GetProperty("ref").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await site.ApiAsync(HttpMethod.Get, "/api/repos/alice/paged/pushes?limit=0")).StatusCode);
    }
}
