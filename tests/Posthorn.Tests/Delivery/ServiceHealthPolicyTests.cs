using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Delivery;

public sealed class ServiceHealthPolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ServiceHealthPolicy Policy = new(4, 40, TimeSpan.FromMinutes(1), TimeSpan.FromHours(24));

    [Theory]
    [InlineData(AttemptOutcome.RetryableFailure, 1)]
    [InlineData(AttemptOutcome.RetryableFailure, 3)]
    [InlineData(AttemptOutcome.PermanentFailure, 3)]
    [InlineData(AttemptOutcome.Succeeded, 0)]
    [InlineData(AttemptOutcome.Succeeded, 100)] // stale count: success always means keep going
    public void Decide_BelowPauseThresholdOrSuccess_DoesNothing(AttemptOutcome outcome, int failures) =>
        Assert.Equal(HealthDecision.None, Policy.Decide(outcome, failures, Now));

    [Theory]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(6, 4)]
    [InlineData(14, 1024)]
    [InlineData(15, 1440)] // 2048 min > 24 h: capped
    [InlineData(39, 1440)]
    public void Decide_FromPauseThreshold_PausesDoublingToTheCap(int failures, int minutes)
    {
        var decision = Policy.Decide(AttemptOutcome.RetryableFailure, failures, Now);
        Assert.Equal(HealthAction.Pause, decision.Action);
        Assert.Equal(Now.AddMinutes(minutes), decision.PausedUntil);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(1000)]
    public void Decide_AtDisableThreshold_Disables(int failures)
    {
        var decision = Policy.Decide(AttemptOutcome.RetryableFailure, failures, Now);
        Assert.Equal(HealthAction.Disable, decision.Action);
        Assert.Contains($"{failures} consecutive failed attempts", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_Gone_DisablesAtOnceWithReason()
    {
        var decision = Policy.Decide(AttemptOutcome.Gone, 1, Now);
        Assert.Equal(HealthDecision.Disable("410 Gone from receiver"), decision);
    }

    [Fact]
    public void PauseFor_HugeFailureCount_DoesNotOverflow() =>
        Assert.Equal(TimeSpan.FromHours(24), Policy.PauseFor(int.MaxValue));
}
