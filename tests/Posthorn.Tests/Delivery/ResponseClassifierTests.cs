using System.Net.Http.Headers;
using Posthorn.Core.Deliveries;
using Posthorn.Delivery.Sending;

namespace Posthorn.Tests.Delivery;

public sealed class ResponseClassifierTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Cap = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(200, AttemptOutcome.Succeeded)]
    [InlineData(201, AttemptOutcome.Succeeded)]
    [InlineData(204, AttemptOutcome.Succeeded)]
    [InlineData(299, AttemptOutcome.Succeeded)]
    [InlineData(410, AttemptOutcome.Gone)]
    [InlineData(301, AttemptOutcome.RetryableFailure)]
    [InlineData(302, AttemptOutcome.RetryableFailure)]
    [InlineData(304, AttemptOutcome.RetryableFailure)]
    [InlineData(400, AttemptOutcome.RetryableFailure)]
    [InlineData(401, AttemptOutcome.RetryableFailure)]
    [InlineData(404, AttemptOutcome.RetryableFailure)]
    [InlineData(429, AttemptOutcome.RetryableFailure)]
    [InlineData(500, AttemptOutcome.RetryableFailure)]
    [InlineData(502, AttemptOutcome.RetryableFailure)]
    [InlineData(503, AttemptOutcome.RetryableFailure)]
    [InlineData(100, AttemptOutcome.RetryableFailure)]
    public void Classify_Status_GivesNamedOutcome(int status, AttemptOutcome expected)
    {
        var result = ResponseClassifier.Classify(status, null, null, Now, Cap);
        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expected == AttemptOutcome.Succeeded, result.Error is null);
    }

    [Fact]
    public void Classify_Redirect_NamesLocation()
    {
        var result = ResponseClassifier.Classify(302, new Uri("https://elsewhere.example/hook"), null, Now, Cap);
        Assert.Contains("Location: https://elsewhere.example/hook", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, 120, 120)]
    [InlineData(503, 30, 30)]
    [InlineData(503, 86400, 3600)] // capped
    [InlineData(500, 30, null)] // only 429 and 503 carry a meaningful Retry-After
    public void Classify_RetryAfterSeconds_HonouredAndCapped(int status, int seconds, int? expected)
    {
        var result = ResponseClassifier.Classify(status, null, new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds)), Now, Cap);
        Assert.Equal(expected is null ? null : TimeSpan.FromSeconds(expected.Value), result.RetryAfter);
    }

    [Theory]
    [InlineData(600, 600)]
    [InlineData(-600, 0)] // a date in the past: retry now-ish, never negative
    [InlineData(7200, 3600)]
    public void Classify_RetryAfterDate_IsRelativeToNow(int offsetSeconds, int expectedSeconds)
    {
        var result = ResponseClassifier.Classify(429, null, new RetryConditionHeaderValue(Now.AddSeconds(offsetSeconds)), Now, Cap);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), result.RetryAfter);
    }
}
