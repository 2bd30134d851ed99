using Posthorn.Core.Pushes;

namespace Posthorn.Tests.Git;

/// <summary>Who a recovered push is attributed to: the journaled pusher only when the journal explains every move.</summary>
public sealed class PushIntakeTests
{
    private static readonly string A = new('a', 40);
    private static readonly string B = new('b', 40);

    public static TheoryData<string, RefIntent[], string> Cases => new()
    {
        { "no journal", [], PushIntake.UnknownPusher },
        { "one pusher journaled the move", [new RefIntent("carol", new RefUpdate("refs/heads/main", A, B))], "carol" },
        { "journaled a different target", [new RefIntent("carol", new RefUpdate("refs/heads/main", A, A))], PushIntake.UnknownPusher },
        { "two pushers", [new RefIntent("carol", new RefUpdate("refs/heads/main", A, B)), new RefIntent("dave", new RefUpdate("refs/tags/v1", RefUpdate.ZeroId, B))], PushIntake.UnknownPusher },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PusherOf_NamesTheJournaledPusherOnlyWhenItExplainsEveryMove(string why, RefIntent[] intents, string expected)
    {
        IReadOnlyList<RefUpdate> updates = why == "two pushers"
            ? [new RefUpdate("refs/heads/main", A, B), new RefUpdate("refs/tags/v1", RefUpdate.ZeroId, B)]
            : [new RefUpdate("refs/heads/main", A, B)];

        Assert.Equal(expected, PushIntake.PusherOf(updates, intents));
    }

    [Fact]
    public void RefDiff_Between_CreatesUpdatesAndDeletesByName()
    {
        var before = new Dictionary<string, string> { ["refs/heads/a"] = A, ["refs/heads/b"] = A, ["refs/heads/same"] = B };
        var after = new Dictionary<string, string> { ["refs/heads/b"] = B, ["refs/heads/c"] = B, ["refs/heads/same"] = B };

        Assert.Equal(
            [new RefUpdate("refs/heads/a", A, RefUpdate.ZeroId), new RefUpdate("refs/heads/b", A, B), new RefUpdate("refs/heads/c", RefUpdate.ZeroId, B)],
            RefDiff.Between(before, after));
    }
}
