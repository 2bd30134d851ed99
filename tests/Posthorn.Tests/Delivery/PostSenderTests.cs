using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Delivery.Sending;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

/// <summary>PostSender against real Kestrel receivers on 127.0.0.1: no faked HTTP.</summary>
public sealed class PostSenderTests
{
    private const string Json = "{\"canon_url\": \"https://posthorn.example\", \"message\": \"fix: a+b = c & d\\n\", \"user\": \"jürgen 🚀\"}";

    [Fact]
    public async Task SendAsync_BitbucketPost_FormBodyDecodesToTheJsonByteForByte()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var sent = await SendAsync(Deliveries.Claimed(receiver.Url + "hook", Json));

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
        var expected = await new FormUrlEncodedContent([new("payload", Json)]).ReadAsByteArrayAsync();
        Assert.Equal(expected, request.Body);
        Assert.Equal(Json, QueryHelpers.ParseQuery(Encoding.ASCII.GetString(request.Body))["payload"].ToString());
        Assert.Equal(AttemptOutcome.Succeeded, sent.Attempt.Outcome);
        Assert.Equal(Encoding.ASCII.GetString(request.Body), sent.Attempt.RequestBody);
    }

    [Fact]
    public async Task SendAsync_Json_SendsTheDocumentAsUtf8Json()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await SendAsync(Deliveries.Claimed(receiver.Url.ToString(), Json, PayloadFormat.Json));

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(Encoding.UTF8.GetBytes(Json), request.Body);
    }

    [Fact]
    public async Task SendAsync_Headers_IdentifyDeliveryAttemptEventAndSign()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var claimed = Deliveries.Claimed(receiver.Url.ToString(), Json, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], attemptCount: 2);
        var sent = await SendAsync(claimed);

        var headers = Assert.Single(receiver.Requests).Headers;
        Assert.StartsWith("Posthorn/", headers["User-Agent"], StringComparison.Ordinal);
        Assert.Equal(claimed.Delivery.Id.ToString(), headers["X-Posthorn-Delivery"]);
        Assert.Equal("3", headers["X-Posthorn-Attempt"]);
        Assert.Equal("push", headers["X-Posthorn-Event"]);
        Assert.Equal(claimed.Delivery.Id.ToString(), headers["webhook-id"]);
        var (exitCode, error) = await NodeVerifier.VerifyAsync(headers["webhook-id"], long.Parse(headers["webhook-timestamp"]), headers["webhook-signature"], Assert.Single(receiver.Requests).Body, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        Assert.True(exitCode == 0, error);
        Assert.Contains("webhook-signature: v1,***", sent.Attempt.RequestHeaders, StringComparison.Ordinal);
        Assert.DoesNotContain(headers["webhook-signature"][3..], sent.Attempt.RequestHeaders, StringComparison.Ordinal);
        Assert.Equal(3, sent.Attempt.Number);
        Assert.Equal("test-node", sent.Attempt.NodeId);
    }

    [Fact]
    public async Task SendAsync_CredentialsInUrl_SentAsBasicAuthAndMaskedEverywhere()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var url = $"http://alice:s%40cr3t@127.0.0.1:{receiver.Port}/hook?x=1";
        var sent = await SendAsync(Deliveries.Claimed(url));

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s@cr3t")), request.Headers["Authorization"]);
        Assert.Equal("/hook?x=1", request.PathAndQuery);
        Assert.Equal($"http://alice:***@127.0.0.1:{receiver.Port}/hook?x=1", sent.Attempt.RequestUrl);
        Assert.Contains("Authorization: Basic ***", sent.Attempt.RequestHeaders, StringComparison.Ordinal);
        Assert.DoesNotContain("cr3t", sent.Attempt.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, AttemptOutcome.RetryableFailure)]
    [InlineData(410, AttemptOutcome.Gone)]
    [InlineData(404, AttemptOutcome.RetryableFailure)]
    [InlineData(204, AttemptOutcome.Succeeded)]
    public async Task SendAsync_Status_RecordedWithOutcome(int status, AttemptOutcome outcome)
    {
        await using var receiver = await LoopbackReceiver.StartAsync(async c =>
        {
            c.Response.StatusCode = status;
            c.Response.Headers["X-Receiver"] = "yes";
            if (status != 204)
            {
                await c.Response.WriteAsync("receiver says " + status);
            }
        });
        var sent = await SendAsync(Deliveries.Claimed(receiver.Url.ToString()));

        Assert.Equal(outcome, sent.Attempt.Outcome);
        Assert.Equal(status, sent.Attempt.ResponseStatus);
        Assert.Contains("X-Receiver: yes", sent.Attempt.ResponseHeaders, StringComparison.Ordinal);
        Assert.Equal(status == 204 ? string.Empty : "receiver says " + status, sent.Attempt.ResponseBody);
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfter_ReturnsTheRequestedWait()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c =>
        {
            c.Response.StatusCode = 429;
            c.Response.Headers.RetryAfter = "120";
            return Task.CompletedTask;
        });
        var sent = await SendAsync(Deliveries.Claimed(receiver.Url.ToString()));

        Assert.Equal(AttemptOutcome.RetryableFailure, sent.Attempt.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(120), sent.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_RedirectLoop_NotFollowedAndLocationLogged()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c =>
        {
            c.Response.Redirect(c.Request.Path + "?again");
            return Task.CompletedTask;
        });
        var sent = await SendAsync(Deliveries.Claimed(receiver.Url + "loop"));

        Assert.Single(receiver.Requests);
        Assert.Equal(AttemptOutcome.RetryableFailure, sent.Attempt.Outcome);
        Assert.Equal(302, sent.Attempt.ResponseStatus);
        Assert.Contains("Location: /loop?again", sent.Attempt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_HangingReceiver_TimesOutAsRetryable()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c => Task.Delay(Timeout.Infinite, c.RequestAborted));
        var watch = Stopwatch.StartNew();
        var sent = await SendAsync(Deliveries.Claimed(receiver.Url.ToString()), new() { ["Delivery:AttemptTimeout"] = "00:00:00.300" });

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Equal(AttemptOutcome.RetryableFailure, sent.Attempt.Outcome);
        Assert.Contains("Timed out after 0.3 s", sent.Attempt.Error, StringComparison.Ordinal);
        Assert.InRange(sent.Attempt.Duration, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SendAsync_ShutdownWhileHanging_ThrowsInsteadOfRecordingATimeout()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c => Task.Delay(Timeout.Infinite, c.RequestAborted));
        using var provider = Deliveries.Provider();
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.GetRequiredService<PostSender>().SendAsync(Deliveries.Claimed(receiver.Url.ToString()), shutdown.Token));
    }

    [Fact]
    public async Task SendAsync_ConnectionReset_IsRetryableWithAMessage()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c =>
        {
            c.Abort();
            return Task.CompletedTask;
        });
        var sent = await SendAsync(Deliveries.Claimed(receiver.Url.ToString()));

        Assert.Equal(AttemptOutcome.RetryableFailure, sent.Attempt.Outcome);
        Assert.Null(sent.Attempt.ResponseStatus);
        Assert.False(string.IsNullOrWhiteSpace(sent.Attempt.Error));
        Assert.DoesNotContain(" at ", sent.Attempt.Error, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task SendAsync_NothingListening_IsRetryable()
    {
        int port;
        await using (var gone = await LoopbackReceiver.StartAsync())
        {
            port = gone.Port;
        }

        var sent = await SendAsync(Deliveries.Claimed($"http://127.0.0.1:{port}/"));
        Assert.Equal(AttemptOutcome.RetryableFailure, sent.Attempt.Outcome);
        Assert.Contains("refused", sent.Attempt.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SendAsync_GiganticResponse_ReadsOnlyTheLimit()
    {
        const long Gigabyte = 1L << 30;
        await using var receiver = await LoopbackReceiver.StartAsync(async c =>
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (long written = 0; written < Gigabyte && !c.RequestAborted.IsCancellationRequested; written += chunk.Length)
            {
                await c.Response.Body.WriteAsync(chunk, c.RequestAborted);
            }
        });
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var sent = await SendAsync(Deliveries.Claimed(receiver.Url.ToString()), new() { ["Delivery:ResponseBodyLimit"] = "1000" });

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the rest of the body must not be read");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L << 20, "memory must stay bounded");
        Assert.Equal(AttemptOutcome.Succeeded, sent.Attempt.Outcome);
        Assert.StartsWith(new string('x', 1000) + "\n… [truncated after 1000 bytes]", sent.Attempt.ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_LargeRequestBody_SentWholeStoredTruncated()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var big = "{\"x\":\"" + new string('a', 10_000) + "\"}";
        var sent = await SendAsync(Deliveries.Claimed(receiver.Url.ToString(), big, PayloadFormat.Json), new() { ["Delivery:StoredRequestBodyLimit"] = "100" });

        Assert.Equal(big.Length, Assert.Single(receiver.Requests).Body.Length);
        Assert.StartsWith(big[..100] + "\n… [truncated: 10008 bytes sent]", sent.Attempt.RequestBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_InvalidUrl_PermanentFailureWithoutSending()
    {
        var sent = await SendAsync(Deliveries.Claimed("ftp://bob:pw@example.com/"));
        Assert.Equal(AttemptOutcome.PermanentFailure, sent.Attempt.Outcome);
        Assert.Equal("ftp://bob:***@example.com/", sent.Attempt.RequestUrl);
    }

    // Regression: a template stored before the save-time rule put the pushed branch in the host.
    [Fact]
    public async Task SendAsync_StoredTemplateWithPlaceholderInHost_PermanentFailureWithoutSending()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var payload = """{"user":"ben","repository":{"owner":"ann","slug":"tool"},"ref_changes":[{"ref":"refs/heads/127.0.0.1","name":"127.0.0.1","type":"branch","old":"0","new":"1","action":"created"}]}""";

        var sent = await SendAsync(Deliveries.Claimed($"http://user:pw@${{branch}}:{receiver.Port}/", payload));

        Assert.Equal(AttemptOutcome.PermanentFailure, sent.Attempt.Outcome);
        Assert.Contains("only in the path or query", sent.Attempt.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    // Found by review: an exception while building the request escaped the sender, and the delivery
    // stayed pending without an attempt, taken up again each time its lease ran out, the reason only
    // in the log. (No input known today makes the sender throw; a claimed delivery without a payload,
    // which the store never hands out, stands in for such a defect.)
    [Fact]
    public async Task SendAsync_RequestThatCannotBeBuilt_IsARetryableFailedAttempt_WithoutSending()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var claimed = Deliveries.Claimed($"http://alice:pw@127.0.0.1:{receiver.Port}/hook", attemptCount: 1) with { Payload = null! };

        var sent = await SendAsync(claimed);

        Assert.Equal((claimed.Delivery.Id, 2, AttemptOutcome.RetryableFailure, (int?)null), (sent.Attempt.DeliveryId, sent.Attempt.Number, sent.Attempt.Outcome, sent.Attempt.ResponseStatus));
        Assert.Equal($"http://alice:***@127.0.0.1:{receiver.Port}/hook", sent.Attempt.RequestUrl);
        Assert.Contains("could not build this request (ArgumentNullException)", sent.Attempt.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    private static async Task<SentAttempt> SendAsync(ClaimedDelivery claimed, Dictionary<string, string?>? settings = null)
    {
        using var provider = Deliveries.Provider(settings);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await provider.GetRequiredService<PostSender>().SendAsync(claimed, cts.Token);
    }
}
