using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Posthorn.Git;
using Posthorn.Git.Processes;

namespace Posthorn.Tests.Git;

/// <summary>
/// The cap on git processes serving HTTP: slow clients used to hold one git process each, without
/// limit. Queue timeouts run on a fake clock; waits on tasks have a generous deadline only.
/// </summary>
public sealed class GitProcessGateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new();

    private GitProcessGate Gate(int max = 1, int perClient = 1, double queueSeconds = 5) =>
        new(Options.Create(new GitOptions { MaxConcurrentProcesses = max, MaxProcessesPerClient = perClient, ProcessQueueTimeout = TimeSpan.FromSeconds(queueSeconds) }), time);

    [Fact]
    public async Task EnterAsync_ServerFull_WaitsForTheQueueTimeoutThenRefuses()
    {
        var gate = Gate();
        using var held = (await gate.EnterAsync("10.0.0.1", CancellationToken.None)).Slot;
        Assert.NotNull(held);

        var waiting = gate.EnterAsync("10.0.0.2", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        var refused = await waiting.WaitAsync(Deadline);
        Assert.Null(refused.Slot);
        Assert.False(refused.ClientAtShare);
        Assert.Equal(1, gate.Running);
    }

    [Fact]
    public async Task EnterAsync_SlotFreedWhileQueued_AdmitsTheWaiter()
    {
        var gate = Gate();
        var held = (await gate.EnterAsync("10.0.0.1", CancellationToken.None)).Slot!;
        var waiting = gate.EnterAsync("10.0.0.2", CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        held.Dispose(); // a second dispose must not free a second slot
        using var admitted = (await waiting.WaitAsync(Deadline)).Slot;

        Assert.NotNull(admitted);
        Assert.Equal(1, gate.Running);
        time.Advance(TimeSpan.FromSeconds(10)); // the expired timer must not take the slot back
        Assert.Equal(1, gate.Running);
    }

    [Fact]
    public async Task EnterAsync_ClientAtItsShare_WaitsWhileOtherClientsAreAdmitted()
    {
        var gate = Gate(max: 2, perClient: 1);
        using var first = (await gate.EnterAsync("10.0.0.1", CancellationToken.None)).Slot;
        var second = gate.EnterAsync("10.0.0.1", CancellationToken.None);
        using var other = (await gate.EnterAsync("10.0.0.2", CancellationToken.None).WaitAsync(Deadline)).Slot;

        Assert.NotNull(other);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        var refused = await second.WaitAsync(Deadline);
        Assert.Null(refused.Slot);
        Assert.True(refused.ClientAtShare);
    }

    [Fact]
    public async Task EnterAsync_ReleaseSkipsAWaiterAtItsShare_AndAdmitsTheNextClient()
    {
        var gate = Gate(max: 2, perClient: 1);
        var a = (await gate.EnterAsync("a", CancellationToken.None)).Slot!;
        var b = (await gate.EnterAsync("b", CancellationToken.None)).Slot!;
        var secondA = gate.EnterAsync("a", CancellationToken.None);
        var c = gate.EnterAsync("c", CancellationToken.None);

        b.Dispose();

        using var admittedC = (await c.WaitAsync(Deadline)).Slot;
        Assert.NotNull(admittedC);
        Assert.False(secondA.IsCompleted);
        a.Dispose();
        using var admittedA = (await secondA.WaitAsync(Deadline)).Slot;
        Assert.NotNull(admittedA);
        Assert.Equal(2, gate.Running);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileQueued_ThrowsAndTakesNoSlotLater()
    {
        var gate = Gate();
        var held = (await gate.EnterAsync("a", CancellationToken.None)).Slot!;
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync("b", cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Deadline));
        held.Dispose();

        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task EnterAsync_NoQueueTimeout_RefusesAtOnce()
    {
        var gate = Gate(queueSeconds: 0);
        using var held = (await gate.EnterAsync("a", CancellationToken.None)).Slot;

        var refused = gate.EnterAsync("a", CancellationToken.None);

        Assert.True(refused.IsCompletedSuccessfully);
        Assert.Equal((null, true), ((await refused).Slot, (await refused).ClientAtShare));
    }

    [Theory]
    [InlineData(0, 1, 5, 1024, 10, 600)]
    [InlineData(4, 5, 5, 1024, 10, 600)]
    [InlineData(4, 0, 5, 1024, 10, 600)]
    [InlineData(4, 2, -1, 1024, 10, 600)]
    [InlineData(4, 2, 301, 1024, 10, 600)]
    [InlineData(4, 2, 5, -1, 10, 600)]
    [InlineData(4, 2, 5, 1024, 1, 600)]
    [InlineData(4, 2, 5, 1024, 10, 0)]
    public void Validate_OutOfRangeProcessLimits_Throw(int max, int perClient, int queueSeconds, int minRate, int graceSeconds, int receiveSeconds)
    {
        var options = new GitOptions
        {
            MaxConcurrentProcesses = max,
            MaxProcessesPerClient = perClient,
            ProcessQueueTimeout = TimeSpan.FromSeconds(queueSeconds),
            MinRequestBodyBytesPerSecond = minRate,
            MinRequestBodyGracePeriod = TimeSpan.FromSeconds(graceSeconds),
            MaxReceiveDuration = TimeSpan.FromSeconds(receiveSeconds),
        };

        Assert.ThrowsAny<ArgumentException>(options.Validate);
    }

    [Fact]
    public void Validate_Defaults_Pass() => new GitOptions().Validate();
}
