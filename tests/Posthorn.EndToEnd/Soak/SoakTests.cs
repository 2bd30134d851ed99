using Xunit.Abstractions;

namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// Every push delivered, under faults: real pushes, receivers failing 30 % of requests, the server
/// SIGKILLed three times (while a push is inside git receive-pack when one is). Fails on any lost
/// push, any reachable commit never announced, any push announced under two delivery ids.
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task QuickSoak_KillsAndFlakyReceivers_EveryPushRecordedAndEveryCommitAnnounced(string backend)
    {
        var books = await SoakRun.RunAsync(SoakSettings.Quick(backend), output.WriteLine);

        Assert.Equal(3, books.Kills);
        Assert.True(books.AcceptedByGit > 0, "no push was accepted at all");
        Assert.Empty(books.Failures);
    }

    /// <summary>The full-size soak scripts/soak runs, sized by POSTHORN_SOAK_* variables.</summary>
    [SoakFact]
    public async Task ConfiguredSoak_FromEnvironment_BooksBalance()
    {
        var backends = Environment.GetEnvironmentVariable("POSTHORN_SOAK_BACKEND") switch
        {
            "postgres" => ["postgres"],
            "sqlite" => ["sqlite"],
            _ => (string[])["sqlite", "postgres"],
        };
        var failures = new List<string>();
        foreach (var backend in backends)
        {
            var books = await SoakRun.RunAsync(SoakSettings.FromEnvironment(backend), output.WriteLine);
            failures.AddRange(books.Failures.Select(f => $"[{backend}] {f}"));
        }

        Assert.Empty(failures);
    }
}
