using Microsoft.Extensions.Time.Testing;
using Posthorn.Web.Auth;

namespace Posthorn.Tests.Web.Auth;

public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void IsLockedOut_AfterMaxFailures_UntilTheWindowPasses()
    {
        var throttle = new SignInThrottle(time);
        for (var i = 0; i < SignInThrottle.MaxFailures - 1; i++)
        {
            throttle.RecordFailure("alice", "10.0.0.1");
        }

        Assert.False(throttle.IsLockedOut("alice", "10.0.0.1"));
        throttle.RecordFailure("ALICE", "10.0.0.1");
        Assert.True(throttle.IsLockedOut("alice", "10.0.0.1"));
        Assert.False(throttle.IsLockedOut("alice", "10.0.0.2"));
        Assert.False(throttle.IsLockedOut("bob", "10.0.0.1"));

        time.Advance(SignInThrottle.Window);
        Assert.False(throttle.IsLockedOut("alice", "10.0.0.1"));
    }

    [Fact]
    public void RecordSuccess_ForgetsTheFailures()
    {
        var throttle = new SignInThrottle(time);
        throttle.RecordFailure("alice", "c");

        throttle.RecordSuccess("alice", "c");

        Assert.Equal(0, throttle.Count);
    }

    [Fact]
    public void Entries_ExpireWithTheirWindow_AndAreFreedByTheNextSweep()
    {
        var throttle = new SignInThrottle(time);
        for (var i = 0; i < 500; i++)
        {
            throttle.RecordFailure("user" + i, "c");
        }

        Assert.Equal(500, throttle.Count);
        time.Advance(SignInThrottle.Window);
        throttle.RecordFailure("late", "c");

        Assert.Equal(1, throttle.Count);
    }

    [Fact]
    public void Count_NeverExceedsTheCapacity_UnderAFloodOfFreshNames()
    {
        var throttle = new SignInThrottle(time, capacity: 1_000);
        for (var i = 0; i < 20_000; i++)
        {
            throttle.RecordFailure(new string('x', 100) + i, "c");
            Assert.True(throttle.Count <= 1_000);
            if (i % 1_000 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        Assert.True(throttle.Count > 0);
    }

    [Fact]
    public void Flood_KeepsTheNewestEntries_SoAFreshLockOutSurvivesIt()
    {
        var throttle = new SignInThrottle(time, capacity: 100);
        for (var i = 0; i < 500; i++)
        {
            throttle.RecordFailure("flood" + i, "c");
        }

        time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            throttle.RecordFailure("alice", "c");
        }

        Assert.True(throttle.IsLockedOut("alice", "c"));
        Assert.True(throttle.Count <= 100);
    }
}
