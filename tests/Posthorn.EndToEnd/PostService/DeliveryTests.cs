using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Posthorn.EndToEnd.Support;
using Xunit.Abstractions;

namespace Posthorn.EndToEnd.PostService;

public sealed class DeliverySites : SiteFixture
{
    protected override IDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["Delivery__RetrySchedule__0"] = "00:00:00.200",
        ["Delivery__RetrySchedule__1"] = "00:00:00.200",
        ["Delivery__RetrySchedule__2"] = "00:00:00.200",
        ["Delivery__RetrySchedule__3"] = "00:00:00.200",
        ["Delivery__RetrySchedule__4"] = "00:00:00.200",
        ["Delivery__Jitter"] = "0",
        ["Delivery__AttemptTimeout"] = "00:00:05", // a loaded machine must not turn a quick answer into a timeout
        ["Delivery__Lease"] = "00:00:30",
        ["Delivery__MaxIdle"] = "00:00:00.200",
        ["Delivery__PauseAfterFailures"] = "100",
        ["Delivery__DisableAfterFailures"] = "200",
    };
}

/// <summary>Retries, timeouts, isolation between services, redelivery, pings and credentials, against real receivers.</summary>
public sealed class DeliveryTests(DeliverySites sites, ITestOutputHelper output) : IClassFixture<DeliverySites>
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ReceiverFailingThreeTimes_ThenSucceeding_IsDeliveredOnce_InFourAttempts_UnderOneDeliveryId(string backend)
    {
        const int failures = 3;
        var site = await sites.SiteAsync(backend);
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(n <= failures ? 500 : 200);
        var (hook, work) = await NewHookAsync(site, $"flaky-{backend}", receiver.Url + "/flaky");

        await Repos.CommitAsync(site, work, "a");
        await Repos.PushAsync(site, work, hook.Slug, "main");

        var requests = await receiver.WaitForAsync(failures + 1);
        await Task.Delay(500); // a success is final: nothing more may arrive
        Assert.Equal(failures + 1, receiver.Requests.Count);
        var id = requests[0].Header("x-posthorn-delivery");
        Assert.True(Guid.TryParse(id, out _), id);
        Assert.All(requests, r => Assert.Equal(id, r.Header("x-posthorn-delivery")));
        Assert.Equal(["1", "2", "3", "4"], requests.Select(r => r.Header("x-posthorn-attempt")));
        Assert.All(requests, r => Assert.Equal("push", r.Header("x-posthorn-event")));
        Assert.All(requests, r => Assert.StartsWith("Posthorn/", r.Header("user-agent"), StringComparison.Ordinal));
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));

        var detail = await hook.WaitForDeliveryAsync(id, d => Hook.Status(d) == "succeeded");
        Assert.Equal(failures + 1, detail.GetProperty("delivery").GetProperty("attempts").GetInt32());
        var attempts = detail.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4], attempts.Select(a => a.GetProperty("number").GetInt32()));
        Assert.Equal([500, 500, 500, 200], attempts.Select(a => a.GetProperty("response").GetProperty("status").GetInt32()));
        Assert.Equal(["retryable_failure", "retryable_failure", "retryable_failure", "succeeded"], attempts.Select(a => a.GetProperty("outcome").GetString()));
        Assert.All(attempts, a => Assert.Contains($"X-Posthorn-Delivery: {id}", a.GetProperty("request").GetProperty("headers").GetString(), StringComparison.Ordinal));
        Assert.Equal("healthy", Hook.State(await hook.ViewAsync()));
    }

    [Fact]
    public async Task ReceiverThatNeverAnswers_AttemptsTimeOutWithAnError_AndTheOtherServiceStillReceivesPromptly()
    {
        var site = await sites.SiteAsync();
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = async (_, r) =>
        {
            if (r.PathAndQuery == "/hang")
            {
                await Task.Delay(TimeSpan.FromSeconds(12)); // far beyond the 5 s attempt timeout; bounded so the receiver can stop
            }

            return 200;
        };
        var (hang, work) = await NewHookAsync(site, "hang", receiver.Url + "/hang");
        var ok = await Hook.AddAsync(site, "hang", receiver.Url + "/ok");

        await Repos.CommitAsync(site, work, "a");
        var pushed = Stopwatch.StartNew();
        await Repos.PushAsync(site, work, "hang", "main");
        await receiver.WaitForAsync(r => r.PathAndQuery == "/ok", 1, TimeSpan.FromSeconds(60));
        output.WriteLine($"healthy service received {pushed.ElapsedMilliseconds} ms after the push started, beside a hanging one");

        var id = (await receiver.WaitForAsync(r => r.PathAndQuery == "/hang", 1)).First().Header("x-posthorn-delivery");
        var detail = await hang.WaitForDeliveryAsync(id, d => d.GetProperty("attempts").GetArrayLength() >= 2, TimeSpan.FromSeconds(90));
        foreach (var attempt in detail.GetProperty("attempts").EnumerateArray())
        {
            Assert.Equal("retryable_failure", attempt.GetProperty("outcome").GetString());
            Assert.Contains("Timed out", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.InRange(attempt.GetProperty("duration_ms").GetDouble(), 4900, 12_000); // cut at the timeout, never the receiver's 12 s
        }

        var okDelivery = Assert.Single(await ok.DeliveriesAsync());
        Assert.Equal("succeeded", okDelivery.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TwoBrokenServicesOnARepository_DoNotDelayTheHealthyOne()
    {
        var site = await sites.SiteAsync();
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, r) => Task.FromResult(r.PathAndQuery == "/broken" ? 500 : 200);
        var (broken, work) = await NewHookAsync(site, "pair", receiver.Url + "/broken");
        var refused = await Hook.AddAsync(site, "pair", $"http://127.0.0.1:{FreePort.Next()}/nobody-listens");
        var healthy = await Hook.AddAsync(site, "pair", receiver.Url + "/healthy");

        for (var i = 0; i < 3; i++)
        {
            await Repos.CommitAsync(site, work, $"f{i}");
            var pushed = Stopwatch.StartNew();
            await Repos.PushAsync(site, work, "pair", "main");
            await receiver.WaitForAsync(r => r.PathAndQuery == "/healthy", i + 1, TimeSpan.FromSeconds(60));
            output.WriteLine($"push {i + 1}: healthy service received {pushed.ElapsedMilliseconds} ms after the push started");
        }

        Assert.All(await healthy.DeliveriesAsync(), d => Assert.Equal("succeeded", d.GetProperty("status").GetString()));
        var brokenId = (await broken.DeliveriesAsync())[^1].GetProperty("id").GetString()!;
        var brokenDetail = await broken.WaitForDeliveryAsync(brokenId, d => d.GetProperty("attempts").GetArrayLength() >= 1);
        Assert.Equal(500, brokenDetail.GetProperty("attempts")[0].GetProperty("response").GetProperty("status").GetInt32());
        var refusedId = (await refused.DeliveriesAsync())[^1].GetProperty("id").GetString()!;
        var refusedDetail = await refused.WaitForDeliveryAsync(refusedId, d => d.GetProperty("attempts").GetArrayLength() >= 1);
        Assert.Contains("refused", refusedDetail.GetProperty("attempts")[0].GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("failing", Hook.State(await broken.ViewAsync()));
    }

    [Fact]
    public async Task Redeliver_OneDelivery_AndEveryFailedOneSince_KeepsTheirDeliveryIds()
    {
        var site = await sites.SiteAsync();
        await using var receiver = await Receiver.StartAsync();
        var failing = true;
        receiver.Respond = (_, r) => Task.FromResult(r.PathAndQuery == "/bulk" && Volatile.Read(ref failing) ? 500 : 200);
        var (single, work) = await NewHookAsync(site, "again", receiver.Url + "/single");
        var bulk = await Hook.AddAsync(site, "again", receiver.Url + "/bulk");
        var since = DateTimeOffset.UtcNow.AddSeconds(-5);

        for (var i = 0; i < 2; i++)
        {
            await Repos.CommitAsync(site, work, $"f{i}");
            await Repos.PushAsync(site, work, "again", "main");
        }

        // Single: a delivered push sent again carries the same id and the next attempt number.
        var first = (await receiver.WaitForAsync(r => r.PathAndQuery == "/single", 2))[0];
        var id = first.Header("x-posthorn-delivery");
        await single.WaitForDeliveryAsync(id, d => Hook.Status(d) == "succeeded");
        using (var redeliver = await site.ApiAsync(HttpMethod.Post, $"{single.Path}/deliveries/{id}/redeliver"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, redeliver.StatusCode);
        }

        var again = (await receiver.WaitForAsync(r => r.PathAndQuery == "/single", 3))[^1];
        Assert.Equal(id, again.Header("x-posthorn-delivery"));
        Assert.Equal("2", again.Header("x-posthorn-attempt"));
        Assert.Equal(first.Body, again.Body);

        // Bulk: both pushes fail for good (six attempts each), then one call queues them again.
        var failed = new List<string>();
        foreach (var d in await bulk.DeliveriesAsync())
        {
            var detail = await bulk.WaitForDeliveryAsync(d.GetProperty("id").GetString()!, x => Hook.Status(x) == "failed");
            failed.Add(detail.GetProperty("delivery").GetProperty("id").GetString()!);
        }

        Assert.Equal(2, failed.Count);
        Volatile.Write(ref failing, false);
        var queued = await site.ApiJsonAsync(HttpMethod.Post, bulk.Path + "/redeliver", body: new { since });
        Assert.Equal(2, queued.GetProperty("queued").GetInt32());
        foreach (var deliveryId in failed)
        {
            await bulk.WaitForDeliveryAsync(deliveryId, x => Hook.Status(x) == "succeeded");
        }

        var bulkRequests = receiver.Requests.Where(r => r.PathAndQuery == "/bulk").ToList();
        Assert.Equal(failed.Order(), bulkRequests.Select(r => r.Header("x-posthorn-delivery")).Distinct().Order());
        Assert.Equal(14, bulkRequests.Count); // 2 × (6 failed attempts + 1 redelivered)
    }

    [Fact]
    public async Task TestPing_ArrivesWithEventPing_AndIsRecorded()
    {
        var site = await sites.SiteAsync();
        await using var receiver = await Receiver.StartAsync();
        var (hook, _) = await NewHookAsync(site, "ping", receiver.Url + "/ping");

        var result = await site.ApiJsonAsync(HttpMethod.Post, hook.Path + "/test");

        var ping = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal("ping", ping.Header("x-posthorn-event"));
        Assert.Equal(result.GetProperty("delivery").GetProperty("id").GetString(), ping.Header("x-posthorn-delivery"));
        Assert.Equal("ping", result.GetProperty("delivery").GetProperty("event").GetString());
        Assert.Equal("succeeded", Assert.Single(result.GetProperty("attempts").EnumerateArray()).GetProperty("outcome").GetString());
        var payload = ReceivedPayload.Of(ping);
        Assert.Equal("/alice/ping/", payload.GetProperty("repository").GetProperty("absolute_url").GetString());
    }

    [Fact]
    public async Task BasicAuthInTheUrl_ReachesTheReceiver_AndIsNeverShownOrLoggedInClear()
    {
        const string password = "Sup3r-s3cret/Pa55";
        var site = await sites.SiteAsync();
        await using var receiver = await Receiver.StartAsync();
        var url = $"http://hookuser:{Uri.EscapeDataString(password)}@127.0.0.1:{receiver.Port}/auth";
        var (hook, work) = await NewHookAsync(site, "auth", url);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"hookuser:{password}"));

        await Repos.CommitAsync(site, work, "a");
        await Repos.PushAsync(site, work, "auth", "main");

        var request = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal("Basic " + encoded, request.Header("authorization"));
        var id = request.Header("x-posthorn-delivery");
        var detail = await hook.WaitForDeliveryAsync(id, d => Hook.Status(d) == "succeeded");
        var shown = new[]
        {
            (await hook.ViewAsync()).ToString(),
            (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/auth/services")).ToString(),
            detail.ToString(),
        };
        foreach (var text in shown)
        {
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(password), text, StringComparison.Ordinal);
            Assert.DoesNotContain(encoded, text, StringComparison.Ordinal);
        }

        Assert.Contains("hookuser:***@", (await hook.ViewAsync()).GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Contains("Authorization: Basic ***", detail.GetProperty("attempts")[0].GetProperty("request").GetProperty("headers").GetString(), StringComparison.Ordinal);
        var log = site.Server.Log();
        Assert.DoesNotContain(password, log, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(password), log, StringComparison.Ordinal);
        Assert.DoesNotContain(encoded, log, StringComparison.Ordinal);
    }

    [MeasurementFact]
    public async Task PushToPostLatency_IsMeasured()
    {
        const int pushes = 20;
        var site = await sites.SiteAsync();
        await using var receiver = await Receiver.StartAsync();
        var (_, work) = await NewHookAsync(site, "latency", receiver.Url + "/latency");
        var fromStart = new List<double>();
        var fromExit = new List<double>();
        var fromAccepted = new List<double>();
        var (wallAtStart, ticksAtStart) = (DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());

        for (var i = 0; i < pushes; i++)
        {
            await Repos.CommitAsync(site, work, "f");
            var started = Stopwatch.GetTimestamp();
            await Repos.PushAsync(site, work, "latency", "main");
            var exited = Stopwatch.GetTimestamp();
            var received = (await receiver.WaitForAsync(i + 1, TimeSpan.FromSeconds(60)))[i].ReceivedTicks;
            fromStart.Add(Stopwatch.GetElapsedTime(started, received).TotalMilliseconds);
            fromExit.Add(Stopwatch.GetElapsedTime(exited, received).TotalMilliseconds);

            // The server's own record of when it accepted the push (same machine, same wall clock).
            var recorded = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/latency/pushes")).GetProperty("pushes").EnumerateArray()
                .MaxBy(p => p.GetProperty("id").GetInt64()).GetProperty("pushed_at").GetDateTimeOffset();
            var receivedAt = wallAtStart + Stopwatch.GetElapsedTime(ticksAtStart, received);
            fromAccepted.Add((receivedAt - recorded).TotalMilliseconds);
        }

        Assert.Equal(pushes, receiver.Requests.Select(r => r.Header("x-posthorn-delivery")).Distinct().Count());
        output.WriteLine($"push accepted (server's pushed_at) → POST received: p50 {Percentile(fromAccepted, 50):0.0} ms, p90 {Percentile(fromAccepted, 90):0.0} ms, max {fromAccepted.Max():0.0} ms");
        output.WriteLine($"push→POST over {pushes} sequential pushes: git push started → POST received p50 {Percentile(fromStart, 50):0.0} ms, p90 {Percentile(fromStart, 90):0.0} ms");
        output.WriteLine($"git push exited → POST received p50 {Percentile(fromExit, 50):0.0} ms, p90 {Percentile(fromExit, 90):0.0} ms, min {fromExit.Min():0.0} ms (negative: the POST arrived before the git client exited)");
    }

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static async Task<(Hook Hook, string Work)> NewHookAsync(Site site, string slug, string url)
    {
        var work = await Repos.CreateAsync(site, slug);
        return (await Hook.AddAsync(site, slug, url), work);
    }
}
