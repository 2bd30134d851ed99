using Posthorn.Core.Deliveries;
using Posthorn.Delivery;

namespace Posthorn.Tests.Delivery;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RetrySchedule Default = new(DeliveryOptions.DefaultRetrySchedule, 0.2, TimeSpan.FromHours(1));

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(3, 1800)]
    [InlineData(4, 7200)]
    [InlineData(5, 18000)]
    [InlineData(6, 36000)]
    [InlineData(7, 36000)]
    public void NextAttemptAt_MidpointRandom_ReturnsScheduledDelayExactly(int done, int seconds) =>
        Assert.Equal(Now.AddSeconds(seconds), Default.NextAttemptAt(done, Now, 0.5, null));

    [Fact]
    public void NextAttemptAt_AfterLastScheduledAttempt_ReturnsNullSoDeliveryFails()
    {
        Assert.Equal(8, Default.MaxAttempts);
        Assert.Null(Default.NextAttemptAt(8, Now, 0.5, null));
    }

    [Theory]
    [InlineData(0.0, 240)] // 300 s × 0.8
    [InlineData(0.999999, 360)] // 300 s × 1.2
    public void NextAttemptAt_JitterExtremes_StayWithinTwentyPercent(double random, int expectedSeconds)
    {
        var next = Default.NextAttemptAt(2, Now, random, null)!.Value;
        Assert.InRange((next - Now).TotalSeconds, expectedSeconds - 0.01, expectedSeconds + 0.01);
    }

    [Fact]
    public void NextAttemptAt_AnyRandom_NeverLeavesJitterBounds()
    {
        var random = new Random(1234);
        for (var i = 0; i < 1000; i++)
        {
            var delay = Default.NextAttemptAt(3, Now, random.NextDouble(), null)!.Value - Now;
            Assert.InRange(delay.TotalSeconds, 1800 * 0.8, 1800 * 1.2);
        }
    }

    [Fact]
    public void NextAttemptAt_RetryAfterLongerThanDelay_IsHonoured() =>
        Assert.Equal(Now.AddMinutes(2), Default.NextAttemptAt(1, Now, 0.5, TimeSpan.FromMinutes(2)));

    [Fact]
    public void NextAttemptAt_RetryAfterShorterThanDelay_KeepsTheSchedule() =>
        Assert.Equal(Now.AddMinutes(5), Default.NextAttemptAt(2, Now, 0.5, TimeSpan.FromSeconds(1)));

    [Fact]
    public void NextAttemptAt_HugeRetryAfter_IsCapped() =>
        Assert.Equal(Now.AddHours(1), Default.NextAttemptAt(1, Now, 0.5, TimeSpan.FromDays(30)));

    [Fact]
    public void NextAttemptAt_RetryAfterOnLastAttempt_DoesNotExtendTheRound() =>
        Assert.Null(Default.NextAttemptAt(8, Now, 0.5, TimeSpan.FromSeconds(10)));

    [Fact]
    public void Constructor_JitterOfOneOrMore_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrySchedule([TimeSpan.FromSeconds(1)], 1.0, TimeSpan.Zero));
}
