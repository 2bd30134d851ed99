using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Delivery.Sending;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

/// <summary>
/// What each format puts on the wire besides the document: event headers, ids, native signatures
/// (checked with .NET's HMAC and, for GitHub, the npm @octokit/webhooks-methods verifier), against a
/// real loopback receiver.
/// </summary>
public sealed class FormatHeadersTests
{
    private const string Secret = "It's a Secret to Everybody";
    private const string Json = "{\"ref\":\"refs/heads/main\",\"message\":\"jürgen 🚀 a+b & c\"}";

    [Theory]
    [InlineData(PayloadFormat.BitbucketPost, "push", "repo:push")]
    [InlineData(PayloadFormat.Json, "push", "repo:push")]
    [InlineData(PayloadFormat.BitbucketCloud, "push", "repo:push")]
    [InlineData(PayloadFormat.Github, "push", "repo:push")]
    [InlineData(PayloadFormat.BitbucketPost, "pullrequest:fulfilled", "pullrequest:fulfilled")]
    [InlineData(PayloadFormat.Json, "pullrequest:created", "pullrequest:created")]
    [InlineData(PayloadFormat.BitbucketCloud, "pullrequest:rejected", "pullrequest:rejected")]
    [InlineData(PayloadFormat.Github, "pullrequest:updated", "pullrequest:updated")]
    [InlineData(PayloadFormat.Json, "ping", "diagnostics:ping")]
    public async Task EveryFormat_CarriesXEventKey_BesideXPosthornEvent(PayloadFormat format, string deliveryEvent, string eventKey)
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await SendAsync(Claimed(receiver, format, deliveryEvent));

        var headers = Assert.Single(receiver.Requests).Headers;
        Assert.Equal(eventKey, headers["X-Event-Key"]);
        Assert.Equal(deliveryEvent, headers["X-Posthorn-Event"]);
    }

    [Theory]
    [InlineData("push", "push")]
    [InlineData("ping", "ping")]
    [InlineData("pullrequest:fulfilled", "pull_request")]
    [InlineData("pullrequest:created", "pull_request")]
    public async Task Github_NamesTheEventAndDelivery_AndSignsBothWays_VerifiedIndependently(string deliveryEvent, string githubEvent)
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var claimed = Claimed(receiver, PayloadFormat.Github, deliveryEvent, [Secret, "an older secret, still valid"]);
        var sent = await SendAsync(claimed);

        var request = Assert.Single(receiver.Requests);
        var headers = request.Headers;
        Assert.Contains("X-Hub-Signature-256: sha256=***", sent.RequestHeaders, StringComparison.Ordinal);
        Assert.DoesNotContain(headers["X-Hub-Signature-256"][7..], sent.RequestHeaders, StringComparison.Ordinal);
        Assert.Equal(githubEvent, headers["X-GitHub-Event"]);
        Assert.Equal(claimed.Delivery.Id.ToString(), headers["X-GitHub-Delivery"]);
        Assert.Equal("7", headers["X-GitHub-Hook-ID"]);
        Assert.Equal("application/json; charset=utf-8", headers["Content-Type"]);
        Assert.Equal(Encoding.UTF8.GetBytes(Json), request.Body);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body)), headers["X-Hub-Signature-256"]);
#pragma warning disable CA5350 // checking GitHub's legacy header, as its receivers do
        Assert.Equal("sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), request.Body)), headers["X-Hub-Signature"]);
#pragma warning restore CA5350
        var (exitCode, error) = await NodeVerifier.VerifyGithubAsync(headers["X-Hub-Signature-256"], request.Body, Secret);
        Assert.True(exitCode == 0, error);
        Assert.False(headers.ContainsKey("webhook-signature")); // Standard Webhooks only when asked for
    }

    [Fact]
    public async Task Github_WrongSecret_FailsTheIndependentVerifier()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await SendAsync(Claimed(receiver, PayloadFormat.Github, "push", [Secret]));

        var request = Assert.Single(receiver.Requests);
        var (exitCode, _) = await NodeVerifier.VerifyGithubAsync(request.Headers["X-Hub-Signature-256"], request.Body, "not the secret at all");
        Assert.Equal(1, exitCode);
    }

    [Fact]
    public async Task Github_FormVariant_SendsPayloadFormEncoded_AndSignsTheFormBytes()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var claimed = Claimed(receiver, PayloadFormat.Github, "push", [Secret]);
        await SendAsync(claimed with { Service = claimed.Service with { FormEncoded = true } });

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
        Assert.Equal(Json, QueryHelpers.ParseQuery(Encoding.ASCII.GetString(request.Body))["payload"].ToString());
        var (exitCode, error) = await NodeVerifier.VerifyGithubAsync(request.Headers["X-Hub-Signature-256"], request.Body, Secret);
        Assert.True(exitCode == 0, error);
    }

    [Fact]
    public async Task NativeFormat_StandardWebhooksOptIn_SendsBothSchemes_EachVerifiable()
    {
        const string whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        await using var receiver = await LoopbackReceiver.StartAsync();
        var claimed = Claimed(receiver, PayloadFormat.BitbucketCloud, "push", [whsec]);
        await SendAsync(claimed with { Service = claimed.Service with { StandardWebhooks = true } });

        var request = Assert.Single(receiver.Requests);
        var headers = request.Headers;
        var (exitCode, error) = await NodeVerifier.VerifyAsync(headers["webhook-id"], long.Parse(headers["webhook-timestamp"]), headers["webhook-signature"], request.Body, whsec);
        Assert.True(exitCode == 0, error);

        // The native scheme keys with the secret's text, whsec_ prefix and all, as GitHub and Bitbucket do.
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(whsec), request.Body)), headers["X-Hub-Signature"]);
    }

    [Fact]
    public async Task BitbucketCloud_HookUuidIsStablePerService_RequestUuidIsTheDelivery_AttemptNumbered()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var first = Claimed(receiver, PayloadFormat.BitbucketCloud, "push", [Secret]);
        var second = Claimed(receiver, PayloadFormat.BitbucketCloud, "push", [Secret]);
        await SendAsync(first);
        await SendAsync(second with { Delivery = second.Delivery with { AttemptCount = 4 } });

        var requests = receiver.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal(requests[0].Headers["X-Hook-UUID"], requests[1].Headers["X-Hook-UUID"]);
        Assert.True(Guid.TryParse(requests[0].Headers["X-Hook-UUID"], out _));
        Assert.Equal(first.Delivery.Id.ToString(), requests[0].Headers["X-Request-UUID"]);
        Assert.Equal(second.Delivery.Id.ToString(), requests[1].Headers["X-Request-UUID"]);
        Assert.Equal(("1", "5"), (requests[0].Headers["X-Attempt-Number"], requests[1].Headers["X-Attempt-Number"]));
        Assert.Equal("application/json; charset=utf-8", requests[0].Headers["Content-Type"]);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), requests[0].Body)), requests[0].Headers["X-Hub-Signature"]);
        Assert.False(requests[0].Headers.ContainsKey("webhook-signature"));
        Assert.False(requests[0].Headers.ContainsKey("X-Hub-Signature-256"));
    }

    [Fact]
    public async Task OriginalFormats_KeepStandardWebhooks_AndSendNoNativeHeaders()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await SendAsync(Claimed(receiver, PayloadFormat.Json, "push", [Secret]));

        var headers = Assert.Single(receiver.Requests).Headers;
        Assert.True(headers.ContainsKey("webhook-signature"));
        Assert.False(headers.ContainsKey("X-Hub-Signature"));
        Assert.False(headers.ContainsKey("X-GitHub-Event"));
        Assert.False(headers.ContainsKey("X-Hook-UUID"));
    }

    private static ClaimedDelivery Claimed(LoopbackReceiver receiver, PayloadFormat format, string deliveryEvent, IReadOnlyList<string>? secrets = null)
    {
        var claimed = Deliveries.Claimed(receiver.Url.ToString(), Json, format, secrets);
        return claimed with { Delivery = claimed.Delivery with { Event = deliveryEvent } };
    }

    private static async Task<Attempt> SendAsync(ClaimedDelivery claimed)
    {
        using var provider = Deliveries.Provider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sent = await provider.GetRequiredService<PostSender>().SendAsync(claimed, cts.Token);
        Assert.Equal(AttemptOutcome.Succeeded, sent.Attempt.Outcome);
        return sent.Attempt;
    }
}
