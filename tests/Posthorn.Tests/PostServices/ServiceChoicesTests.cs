using Posthorn.Core;
using Posthorn.Core.PostServices;

namespace Posthorn.Tests.PostServices;

/// <summary>The names a service's format and events are given by (API, CLI, form).</summary>
public sealed class ServiceChoicesTests
{
    [Theory]
    [InlineData("bitbucket-post", PayloadFormat.BitbucketPost)]
    [InlineData("JSON", PayloadFormat.Json)]
    [InlineData("Bitbucket-Cloud", PayloadFormat.BitbucketCloud)]
    [InlineData("GITHUB", PayloadFormat.Github)]
    [InlineData(" github ", PayloadFormat.Github)]
    [InlineData(null, PayloadFormat.BitbucketPost)]
    [InlineData("", PayloadFormat.BitbucketPost)]
    public void Format_ParsedCaseInsensitively_AndRoundTrips(string? name, PayloadFormat expected)
    {
        Assert.True(PayloadFormats.TryParse(name, out var format));
        Assert.Equal(expected, format);
        Assert.True(PayloadFormats.TryParse(format.ToName(), out var again));
        Assert.Equal(format, again);
    }

    [Fact]
    public void Format_Unknown_IsRefused_AndEveryFormatHasAHint()
    {
        Assert.False(PayloadFormats.TryParse("gitlab", out _));
        Assert.All(PayloadFormats.All, f => Assert.False(string.IsNullOrWhiteSpace(f.Hint())));
    }

    [Fact]
    public void Events_NormalizedToKnownNamesInCanonicalOrder_DefaultPush()
    {
        Assert.Equal(["push"], ServiceEvents.Normalize(null));
        Assert.Equal(["push"], ServiceEvents.Normalize([" "]));
        Assert.Equal(["push", "pullrequest:fulfilled"], ServiceEvents.Normalize(["PullRequest:Fulfilled", "push", "push"]));
        Assert.Equal("events", Assert.Throws<ValidationException>(() => ServiceEvents.Normalize(["pullrequest:merged"])).Field);
    }

    [Theory]
    [InlineData("push", "repo:push")]
    [InlineData("ping", "diagnostics:ping")]
    [InlineData("pullrequest:fulfilled", "pullrequest:fulfilled")]
    public void EventKey_IsBitbucketsName(string deliveryEvent, string key) => Assert.Equal(key, ServiceEvents.EventKey(deliveryEvent));

    [Fact]
    public void StandardWebhooks_AlwaysWithTheOriginalFormats_OptInWithNativeOnes()
    {
        PostService Service(PayloadFormat format, bool optIn) =>
            new(1, 1, "https://x.example/", format, true, ["0123456789abcdef"], ServiceHealth.Healthy, DateTimeOffset.UnixEpoch) { StandardWebhooks = optIn };

        Assert.True(Service(PayloadFormat.BitbucketPost, false).SignsStandardWebhooks);
        Assert.True(Service(PayloadFormat.Json, false).SignsStandardWebhooks);
        Assert.False(Service(PayloadFormat.Github, false).SignsStandardWebhooks);
        Assert.False(Service(PayloadFormat.BitbucketCloud, false).SignsStandardWebhooks);
        Assert.True(Service(PayloadFormat.Github, true).SignsStandardWebhooks);
    }
}
