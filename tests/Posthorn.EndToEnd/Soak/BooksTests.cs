namespace Posthorn.EndToEnd.Soak;

/// <summary>The verdict of the books: balanced books pass, and each kind of loss fails them on its own.</summary>
public sealed class BooksTests
{
    private static readonly ServiceBooks Service = new(
        "receiver-json", "json", 10, 10, 10, 0, 0, 0, 14, 10, 12, 9, 0, 0, 0, 1, 0, 0, [], []);

    private static readonly Books Balanced = new(
        "sqlite", 1, 4, 3, 3, 60, 5, 90, 14, 11, 10, 1, 0, 11, 1, 0, 0, 9, [Service, Service with { Name = "receiver-form" }], []);

    [Fact]
    public void Failures_BalancedBooks_None()
    {
        Assert.Empty(Balanced.Failures);
        Assert.Contains("VERDICT: PASS", Balanced.ToTable(), StringComparison.Ordinal);
    }

    public static TheoryData<string, Books> Losses => new()
    {
        { "git accepted (exit 0)", Balanced with { LostAcceptedByGit = 1 } },
        { "up-to-date", Balanced with { LostAppliedByFailedAttempt = 2 } },
        { "never announced", Balanced with { Services = [Service with { CommitsUnannounced = 3 }] } },
        { "more than one delivery id", Balanced with { Services = [Service with { IdChangingDuplicates = 1 }] } },
        { "differing bodies", Balanced with { Services = [Service with { DuplicatesWithDifferentBody = 1 }] } },
        { "no delivery", Balanced with { Services = [Service with { PushesWithoutDelivery = 1 }] } },
    };

    [Theory]
    [MemberData(nameof(Losses))]
    public void Failures_OneKindOfLoss_FailsTheBooks(string expected, Books books)
    {
        var failure = Assert.Single(books.Failures);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
        Assert.Contains("VERDICT: FAIL", books.ToTable(), StringComparison.Ordinal);
    }
}
