using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Posthorn.Core.Deliveries;
using Posthorn.Delivery;
using Posthorn.Delivery.Dispatching;
using Posthorn.Delivery.Sending;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

/// <summary>
/// The settlement writer over a real SQLite store whose database refuses writes through a trigger:
/// one record it refuses must not hold up the attempts batched with it, and a database refusing
/// everything for a while (down, as the writer sees it) must get every record back whole.
/// </summary>
public sealed class SettlementWriterTests
{
    private const string Node = "node-a";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Found by review: a record the database refused for good (as PostgreSQL refused NUL characters)
    // made its whole batch fail, retried every second for ever, and nothing else on the node was recorded.
    [Fact]
    public async Task Write_DatabaseRefusesOneAnswer_TheRestOfTheBatchIsRecorded_AndThatAttemptWithoutTheAnswer()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await harness.ExecuteSqlAsync(
            "CREATE TRIGGER refuse_answer BEFORE INSERT ON attempts WHEN NEW.response_body = 'refuse-me' BEGIN SELECT RAISE(ABORT, 'answer refused'); END");
        var (store, claimed) = await ClaimedAsync(harness, 8);

        await WriteAsync(harness, store, claimed.Select((c, i) => (c, i == 2 ? "refuse-me" : "ok")));

        // Halves that hold only good records are written on their first try; the refused one is
        // narrowed down to (8, 4, 2, 1 records, twice each) and then written without its answer.
        Assert.Equal([8, 8, 4, 4, 2, 2, 1, 1], store.RefusedSettlements);
        for (var i = 0; i < claimed.Count; i++)
        {
            var detail = (await harness.Storage.Deliveries.FindDeliveryAsync(claimed[i].Service.Id, claimed[i].Delivery.Id, CancellationToken.None))!;
            var attempt = Assert.Single(detail.Attempts);
            Assert.Equal((DeliveryStatus.Succeeded, 200, AttemptOutcome.Succeeded), (detail.Delivery.Status, attempt.ResponseStatus!.Value, attempt.Outcome));
            if (i == 2)
            {
                Assert.Null(attempt.ResponseHeaders);
                Assert.Contains("could not store this part of the attempt's record", attempt.ResponseBody, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(("Server: test", "ok"), (attempt.ResponseHeaders, attempt.ResponseBody));
            }
        }
    }

    [Fact]
    public async Task Write_DatabaseRefusingEverythingForAWhile_GetsEveryRecordBackWhole_OnceItAcceptsAgain()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await harness.ExecuteSqlAsync("CREATE TRIGGER outage BEFORE INSERT ON attempts BEGIN SELECT RAISE(ABORT, 'database down'); END");
        var (store, claimed) = await ClaimedAsync(harness, 8);
        var down = true;
        store.BeforeSettle = async settlements =>
        {
            // The database comes back before a retry of a whole record, once lone records have been
            // refused without their answers too (what a real outage looks like to the writer).
            if (down && store.RefusedSettlements.Count(n => n == 1) >= 6 && !settlements.Any(s => s.Attempt.ResponseBody != "ok"))
            {
                await harness.ExecuteSqlAsync("DROP TRIGGER outage");
                down = false;
            }
        };

        await WriteAsync(harness, store, claimed.Select(c => (c, "ok")));

        Assert.False(down);
        foreach (var c in claimed)
        {
            var detail = (await harness.Storage.Deliveries.FindDeliveryAsync(c.Service.Id, c.Delivery.Id, CancellationToken.None))!;
            var attempt = Assert.Single(detail.Attempts);
            Assert.Equal((DeliveryStatus.Succeeded, "Server: test", "ok"), (detail.Delivery.Status, attempt.ResponseHeaders, attempt.ResponseBody));
        }
    }

    private static async Task<(ObservedStore Store, IReadOnlyList<ClaimedDelivery> Claimed)> ClaimedAsync(DispatchHarness harness, int count)
    {
        var service = await harness.ServiceAsync(new Uri("http://127.0.0.1:9/hook"));
        await harness.EnqueueAsync(service, count);
        var store = new ObservedStore(harness.Storage.Deliveries);
        var claimed = await store.ClaimDueAsync(Node, DateTimeOffset.UtcNow.AddSeconds(1), TimeSpan.FromMinutes(5), count, ServiceShare.Unlimited, CancellationToken.None);
        Assert.Equal(count, claimed.Count);
        return (store, claimed);
    }

    /// <summary>Queues one successful attempt per delivery, answered with the given body, before the writer starts, so they make one batch.</summary>
    private static async Task WriteAsync(DispatchHarness harness, ObservedStore store, IEnumerable<(ClaimedDelivery Claimed, string Answer)> sent)
    {
        await using var provider = Deliveries.Provider(new Dictionary<string, string?> { ["Delivery:NodeId"] = Node });
        var writer = new SettlementWriter(store, harness.Storage.PostServices, provider.GetRequiredService<SettlementPlanner>(), provider.GetRequiredService<ServiceHealthPolicy>(),
            harness.Storage.Wakeup, new Random(1), TimeProvider.System, provider.GetRequiredService<IOptions<DeliveryOptions>>().Value, NullLogger.Instance,
            retryDelay: TimeSpan.FromMilliseconds(10));
        foreach (var (claimed, answer) in sent)
        {
            var attempt = new Attempt(claimed.Delivery.Id, 1, Node, DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(5), "http://127.0.0.1:9/hook",
                "Content-Type: application/json", claimed.Payload, 200, "Server: test", answer, null, AttemptOutcome.Succeeded);
            writer.Add(claimed, new SentAttempt(attempt, null));
        }

        writer.Complete();
        await writer.RunAsync(CancellationToken.None).WaitAsync(Patience);
    }
}
