using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    // Regression: PostgreSQL's text cannot hold NUL, so a receiver answering with binary bytes made the
    // whole settlement batch fail, retried for ever while nothing else on the node was recorded.
    [Fact]
    public async Task Settle_AnAnswerWithNulBytes_IsRecorded_WithReplacementCharacters()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        var settled = Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1));
        settled = settled with
        {
            Attempt = settled.Attempt with { ResponseBody = "\u001f\u008b\0\0gzip", ResponseHeaders = "X-Odd: a\0b", Error = "HTTP 500: \0" },
        };

        var results = await Deliveries.SettleAsync("node-a", [settled], Ct);

        Assert.NotNull(results[0]);
        var attempt = Assert.Single((await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!.Attempts);
        Assert.Equal(("\u001f\u008b\uFFFD\uFFFDgzip", "X-Odd: a\uFFFDb", "HTTP 500: \uFFFD"), (attempt.ResponseBody, attempt.ResponseHeaders, attempt.Error));
    }
}
