using System.Net;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>
/// A client's bad request is not a server error: 400s and 404s must not be logged at error level
/// (the console logger writes those as "fail:"), or anyone can flood the operator's error log.
/// Reads the real server's output.
/// </summary>
public sealed class ClientErrorLoggingTests
{
    [Fact]
    public async Task ValidationAndNotFoundFailures_AreNotLoggedAsErrors()
    {
        // Debug for the API's own category, so the test can see each refusal logged (below error).
        await using var site = await Support.Site.StartAsync(env: new Dictionary<string, string> { ["Logging__LogLevel__Posthorn.Api"] = "Debug" });

        var statuses = new List<HttpStatusCode>();
        foreach (var (method, path, body) in new (string, string, object?)[]
        {
            ("POST", "/api/repos", new { slug = "Bad Slug!" }),
            ("POST", "/api/repos", new { owner = "nobody", slug = "x" }),
            ("POST", "/api/user/tokens", new { name = "" }),
            ("PUT", "/api/repos/alice/nothing/permissions/bob", new { permission = "read" }),
            ("GET", "/api/repos/alice/nothing", null),
            ("GET", "/api/repos/alice/nothing/services/1", null),
        })
        {
            using var response = await site.ApiAsync(new HttpMethod(method), path, "root", body);
            statuses.Add(response.StatusCode);
        }

        using var malformed = new HttpRequestMessage(HttpMethod.Post, "/api/repos") { Content = new StringContent("{nope", System.Text.Encoding.UTF8, "application/json") };
        malformed.Headers.Authorization = Support.PosthornServer.Basic("alice", Support.Site.Password);
        statuses.Add((await site.Server.Http.SendAsync(malformed)).StatusCode);

        Assert.All(statuses, s => Assert.InRange((int)s, 400, 499));
        Assert.Contains(HttpStatusCode.BadRequest, statuses);
        Assert.Contains(HttpStatusCode.NotFound, statuses);

        // The console logger writes asynchronously: wait (generously) until the four refusals thrown as exceptions
        // (three from the domain, and the malformed body, which the API throws so it can say what was wrong) are in the output.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string log;
        while ((log = site.Server.Log()).Split("Refused /api/").Length - 1 < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(4, log.Split("Refused /api/").Length - 1);
        Assert.Contains("dbug: Posthorn.Api", log, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", log, StringComparison.Ordinal);
        Assert.DoesNotContain("crit:", log, StringComparison.Ordinal);
    }
}
