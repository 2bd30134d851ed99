using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Deliveries;
using Posthorn.Delivery.Sending;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

/// <summary>The guard is proven at connect time against a real loopback receiver that must see nothing.</summary>
public sealed class TargetGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:{port}/")]
    [InlineData("http://127.1:{port}/")]
    [InlineData("http://0x7f000001:{port}/")]
    [InlineData("http://2130706433:{port}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/")]
    [InlineData("http://[::1]:{port}/")]
    [InlineData("http://localhost:{port}/")]
    [InlineData("http://169.254.169.254:{port}/latest/meta-data/")]
    [InlineData("http://10.0.0.1:{port}/")]
    [InlineData("http://[fd00:ec2::254]:{port}/")]
    [InlineData("http://[::ffff:169.254.169.254]:{port}/")]
    public async Task SendAsync_PrivateTargetWithoutAllowFlag_RefusedAndNothingReceived(string template)
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var provider = Deliveries.Provider(new Dictionary<string, string?> { ["Delivery:AllowPrivateTargets"] = "false" });
        var sender = provider.GetRequiredService<PostSender>();

        var sent = await sender.SendAsync(Deliveries.Claimed(template.Replace("{port}", receiver.Port.ToString(), StringComparison.Ordinal)), CancellationToken.None);

        Assert.Equal(AttemptOutcome.PermanentFailure, sent.Attempt.Outcome);
        Assert.Contains("Refused to connect", sent.Attempt.Error, StringComparison.Ordinal);
        Assert.Contains("AllowPrivateTargets", sent.Attempt.Error, StringComparison.Ordinal);
        Assert.Null(sent.Attempt.ResponseStatus);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task SendAsync_LoopbackWithAllowFlag_IsDelivered()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var provider = Deliveries.Provider(new Dictionary<string, string?> { ["Delivery:AllowPrivateTargets"] = "true" });

        var sent = await provider.GetRequiredService<PostSender>().SendAsync(Deliveries.Claimed(receiver.Url.ToString()), CancellationToken.None);

        Assert.Equal(AttemptOutcome.Succeeded, sent.Attempt.Outcome);
        Assert.Single(receiver.Requests);
    }
}
