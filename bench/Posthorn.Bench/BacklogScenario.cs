namespace Posthorn.Bench;

/// <summary>
/// Scenario 5: a deep backlog (100,000 deliveries across 1,000 services) drained by one node on
/// SQLite: peak memory against the memory before the drain, and fairness between services.
/// </summary>
public static class BacklogScenario
{
    public const string Method =
        "100,000 deliveries (quick: 10,000) are queued through the store for 1,000 services (quick: 100): 10 owners, one repository " +
        "each with 100 services (quick: 10), the owners pushing side by side, the throughput scenario's payload. Then one " +
        "node drains them with the default options. Memory: peak resident set of the benchmark process (host, receiver and load " +
        "generator), sampled every 10 ms during the drain; baseline: the resident set just before the host starts. Fairness: when " +
        "a quarter, half and three quarters of the POSTs have arrived, every service should have had about that fraction of its own " +
        "deliveries; the figure is the worst service's fraction divided by the overall one (1 = perfectly even; a service that " +
        "waited twice its fair share scores 0.5).";

    public static async Task<IReadOnlyList<Figure>> RunAsync(string work, bool quick)
    {
        var servicesPerOwner = quick ? 10 : 100;
        var n = quick ? 10_000 : 100_000;
        await using var receiver = await Receiver.StartAsync();
        var result = await DeliveryDrain.RunAsync(Path.Combine(work, "backlog"), receiver,
            new DeliveryDrain.Shape(n, 10, servicesPerOwner, ThroughputScenario.SamplePayload(1)));
        var note = $"{n} deliveries for {10 * servicesPerOwner} services queued in {result.Queued.TotalSeconds:0.0} s, drained in {result.Drained.TotalSeconds:0.0} s " +
            $"({result.Measured / result.Drained.TotalSeconds:0}/s from the first POST, receiver saw {result.Received})";
        Console.WriteLine($"  {note}");
        return
        [
            new("backlog peak RSS", result.PeakRssMb, "MB", result.RssBeforeMb, "bounded: ≤ before + 256 MB", result.PeakRssMb <= result.RssBeforeMb + 256, note),
            new("backlog fairness (worst service's share of its fair share)", result.WorstFairShare, "", 1, "≥ 0.5 (no service waits more than 2× its fair share)",
                result.WorstFairShare >= 0.5, note),
        ];
    }
}
