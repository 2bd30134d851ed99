using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Posthorn.EndToEnd.Hardening;
using Posthorn.EndToEnd.Support;
using Xunit.Abstractions;

namespace Posthorn.EndToEnd.Fuzz;

/// <summary>
/// A seeded, bounded fuzz run against the real server over loopback: hostile requests across the
/// API, the page forms (with a valid anti-forgery token and without) and the git endpoints. No
/// request may be answered 5xx, and the server must be alive at the end. Same seed, same requests:
/// a failure names the request so it can be replayed.
/// </summary>
public sealed class HostileRequestFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261129;
    private const int ApiRequests = 900;
    private const int PageRequests = 600;
    private const int GitRequests = 600;
    private const int Workers = 4;

    /// <summary>Stands for "the server closed the connection" in the status tally.</summary>
    private const HttpStatusCode Cut = (HttpStatusCode)599;

    private static readonly string[] ApiFields = ["slug", "owner", "name", "is_private", "website", "url", "format", "active", "secret", "secrets", "permission", "since"];

    [Fact]
    public async Task HostileRequests_AcrossApiPagesAndGit_NeverGet5xx_AndTheServerSurvives()
    {
        await using var site = await Site.StartAsync();
        await site.CreateRepositoryAsync("fuzz");
        var token = (await site.ApiJsonAsync(HttpMethod.Post, "/api/user/tokens", "alice", new { name = "fuzz" })).GetProperty("token").GetString()!;
        var serviceId = (await site.ApiJsonAsync(HttpMethod.Post, "/api/repos/alice/fuzz/services", "alice", new { url = "http://127.0.0.1:9/hook" })).GetProperty("id").GetInt64();
        using var signedIn = new FormClient(site.Server.BaseUrl);
        Assert.True(await signedIn.SignInAsync("dave", Site.Password));
        var antiforgery = (await signedIn.TokenAsync("/settings/tokens"))!;

        var plans = new List<Func<Task<(string What, HttpStatusCode Status)>>>();
        var input = new HostileInput(Seed);
        for (var i = 0; i < ApiRequests; i++)
        {
            plans.Add(ApiRequest(site, input, token, serviceId));
        }

        for (var i = 0; i < PageRequests; i++)
        {
            plans.Add(PageRequest(site, input, signedIn, antiforgery, serviceId));
        }

        for (var i = 0; i < GitRequests; i++)
        {
            plans.Add(GitRequest(site, input, token));
        }

        // Shuffled by the same seed, so API, page and git requests interleave.
        var order = plans.OrderBy(_ => input.Random.Next()).ToList();
        var failures = new List<string>();
        var cut = 0;
        var statuses = new Dictionary<int, int>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < order.Count)
            {
                var (what, status) = await order[i]();
                lock (failures)
                {
                    statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;
                    if (status == Cut)
                    {
                        // The server answered (400/413) before reading the whole body and closed: the client sees a send error. Counted, not a 5xx.
                        cut++;
                    }
                    else if ((int)status >= 500)
                    {
                        failures.Add($"#{i} {what} → {(int)status}");
                    }
                }
            }
        }));

        output.WriteLine($"connections cut by the server while the client was still sending: {cut}");
        output.WriteLine($"{order.Count} requests, seed {Seed}: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        if (failures.Count > 0)
        {
            // The site's folder goes with the test: keep the server's log for the post-mortem.
            var kept = Path.Combine(Path.GetTempPath(), $"posthorn-fuzz-{Seed}.log");
            File.WriteAllText(kept, site.Server.Log());
            Assert.Fail($"{failures.Count} of {order.Count} requests got 5xx, hung or were cut (server log kept in {kept}):\n" + string.Join("\n", failures.Take(60)));
        }

        Assert.Equal(HttpStatusCode.OK, (await site.Server.Http.GetAsync("/healthz")).StatusCode);
        Assert.True(order.Count >= 2_000);
    }

    private static Func<Task<(string, HttpStatusCode)>> ApiRequest(Site site, HostileInput input, string token, long serviceId)
    {
        var repo = input.Chance(0.7) ? "alice/fuzz" : $"{input.Segment()}/{input.Segment()}";
        var id = input.Chance(0.6) ? serviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) : input.Segment();
        var path = input.Next(14) switch
        {
            0 => "/api/repos",
            1 => $"/api/repos/{repo}",
            2 => $"/api/repos/{repo}/permissions",
            3 => $"/api/repos/{repo}/permissions/{(input.Chance(0.5) ? "bob" : input.Segment())}",
            4 => $"/api/repos/{repo}/pushes",
            5 => $"/api/repos/{repo}/pushes/{input.Segment()}",
            6 => $"/api/repos/{repo}/services",
            7 => $"/api/repos/{repo}/services/{id}",
            8 => $"/api/repos/{repo}/services/{id}/{input.Pick(["enable", "test", "redeliver"])}",
            9 => $"/api/repos/{repo}/services/{id}/deliveries?status={input.Segment()}&before={input.Segment()}&limit={input.Segment()}",
            10 => $"/api/repos/{repo}/services/{id}/deliveries/{(input.Chance(0.5) ? Guid.Empty.ToString() : input.Segment())}",
            11 => $"/api/user/tokens/{input.Segment()}",
            12 => "/api/user/tokens",
            _ => $"/api/{input.Segment()}?{input.Segment()}={input.Segment()}",
        };
        var method = input.Pick(new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch });
        if (method == HttpMethod.Delete && path == "/api/repos/alice/fuzz")
        {
            // Deleting the target repository early would turn every later git request into a 404 and test nothing.
            path = "/api/repos/alice/other";
        }

        var body = method == HttpMethod.Get || input.Chance(0.1) ? null : input.Json(ApiFields);
        var contentType = input.Chance(0.85) ? "application/json" : input.Pick(["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "multipart/form-data"]);
        var auth = input.Next(10) switch
        {
            < 6 => new AuthenticationHeaderValue("Bearer", token),
            6 => null,
            7 => new AuthenticationHeaderValue("Bearer", "ph_" + input.Next(int.MaxValue)),
            8 => new AuthenticationHeaderValue("Basic", input.Chance(0.5) ? "!!notbase64" : Convert.ToBase64String(Encoding.UTF8.GetBytes(input.FormValue() + ":" + input.FormValue()))),
            _ => new AuthenticationHeaderValue(input.Pick(["Digest", "Negotiate", "Basic"]), "x"),
        };
        return async () =>
        {
            using var request = new HttpRequestMessage(method, path) { Headers = { Authorization = auth } };
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            using var response = await site.Server.Http.SendAsync(request);
            return ($"{method} {path} [{contentType}] {Short(body)}", response.StatusCode);
        };
    }

    private static Func<Task<(string, HttpStatusCode)>> PageRequest(Site site, HostileInput input, FormClient signedIn, string antiforgery, long serviceId)
    {
        var repo = input.Chance(0.8) ? "alice/fuzz" : $"{input.Segment()}/{input.Segment()}";
        var service = input.Chance(0.7) ? serviceId.ToString(System.Globalization.CultureInfo.InvariantCulture) : input.Segment();
        var (path, fields) = input.Next(12) switch
        {
            0 => ($"/signin?ReturnUrl={input.Segment()}", new[] { "Username", "Password" }),
            1 => ("/new", new[] { "Slug", "Name", "Website", "IsPrivate" }),
            2 => ($"/settings/tokens?handler={input.Pick(["Create", "Revoke", input.Segment()])}&id={input.Segment()}", new[] { "Name", "id" }),
            3 => ($"/{repo}/admin/permissions?handler=Grant", new[] { "Username", "Level" }),
            4 => ($"/{repo}/admin/permissions?handler=Revoke&username={input.Segment()}", new[] { "username" }),
            5 => ($"/{repo}/admin/services", new[] { "Form.Url", "Form.Format", "Form.Secret", "Form.Active", "Form.RemoveSecrets" }),
            6 => ($"/{repo}/admin/services/{service}?handler={input.Pick(["Save", "Test", "Enable", "RedeliverFailed"])}", new[] { "Form.Url", "Form.Format", "Form.Secret", "Form.Active", "RedeliverSince" }),
            7 => ($"/{repo}/admin/services/{service}?status={input.Segment()}&before={input.Segment()}", Array.Empty<string>()),
            8 => ($"/{repo}/admin/services/{service}/deliveries/{(input.Chance(0.5) ? new Guid(input.Next(int.MaxValue), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).ToString() : input.Segment())}?handler=Redeliver", Array.Empty<string>()),
            9 => ($"/{repo}", Array.Empty<string>()),
            10 => ($"/{input.Segment()}?{input.Segment()}={input.Segment()}", Array.Empty<string>()),
            _ => ($"/{repo}/admin", Array.Empty<string>()),
        };
        var post = fields.Length > 0 || input.Chance(0.5);
        var values = fields.Where(_ => input.Chance(0.8)).Select(f => new KeyValuePair<string, string>(f, input.Chance(0.5) ? input.FormValue() : input.Pick(["alice", "bob", "read", "json", "true", "http://127.0.0.1:9/x", "2025-01-01T00:00"]))).ToList();
        var withToken = input.Chance(0.75);
        var asSignedIn = input.Chance(0.8);
        return async () =>
        {
            using var anonymous = asSignedIn ? null : new FormClient(site.Server.BaseUrl);
            var client = anonymous ?? signedIn;
            var (response, _) = post
                ? await client.PostFormAsync(path, values, withToken ? antiforgery : null)
                : await client.GetAsync(path);
            return ($"{(post ? "POST" : "GET")} {path} signedIn={asSignedIn} token={withToken} {Short(string.Join("&", values.Select(v => v.Key + "=" + v.Value)))}", response.StatusCode);
        };
    }

    private static Func<Task<(string, HttpStatusCode)>> GitRequest(Site site, HostileInput input, string token)
    {
        var repo = input.Chance(0.8) ? "alice/fuzz.git" : $"{input.Segment()}/{input.Segment()}";
        var kind = input.Next(3);
        var path = kind switch
        {
            0 => $"/{repo}/info/refs?service={input.Pick(["git-upload-pack", "git-receive-pack", "git-upload-archive", "", input.Segment()])}",
            1 => $"/{repo}/git-upload-pack",
            _ => $"/{repo}/git-receive-pack",
        };
        var body = kind == 0 ? null : input.PktLines();
        var protocol = input.Chance(0.3) ? input.Pick(["version=2", "version=1", "version=2:object-format=sha1", "version=9", "x\u0001", "version=2\n"]) : null;
        var contentType = input.Chance(0.8) ? (kind == 1 ? "application/x-git-upload-pack-request" : "application/x-git-receive-pack-request") : "text/plain";
        var gzip = input.Chance(0.1);
        var signedIn = input.Chance(0.85);
        return async () =>
        {
            using var request = new HttpRequestMessage(kind == 0 ? HttpMethod.Get : HttpMethod.Post, path);
            if (signedIn)
            {
                request.Headers.Authorization = PosthornServer.Basic("git", token);
            }

            if (protocol is not null)
            {
                request.Headers.TryAddWithoutValidation("Git-Protocol", protocol.Replace("\n", "", StringComparison.Ordinal));
            }

            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                if (gzip)
                {
                    request.Content.Headers.ContentEncoding.Add("gzip");
                }
            }

            try
            {
                // Generous (loopback requests take milliseconds): only a hang reaches it.
                using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                using var response = await site.Server.Http.SendAsync(request, hang.Token);
                return ($"{request.Method} {path} gzip={gzip} proto={protocol} body={Short(Encoding.Latin1.GetString(body ?? []))}", response.StatusCode);
            }
            catch (TaskCanceledException)
            {
                // HttpClient's generous timeout: the server never answered. A hang is a failure too.
                return ($"{request.Method} {path} HUNG gzip={gzip} proto={protocol} body={Short(Encoding.Latin1.GetString(body ?? []))}", (HttpStatusCode)598);
            }
            catch (HttpRequestException e)
            {
                // A cut connection is the git layer's signal after its headers are gone; it is no 500, but it is reported.
                return ($"{request.Method} {path} connection cut: {e.Message}", Cut);
            }
        };
    }

    private static string Short(string? text) => text is null ? "" : text.Length <= 300 ? text.ReplaceLineEndings("⏎") : text[..300].ReplaceLineEndings("⏎") + "…";

}
