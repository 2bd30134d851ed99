using Posthorn.Storage.Sql;

namespace Posthorn.Tests.Storage;

/// <summary>A settlement batch's distinct bodies: one per text, in digest order, each attempt pointed at its own.</summary>
public sealed class RequestBodiesTests
{
    [Fact]
    public void Of_EqualTextInDistinctInstances_IsOneBody_AndEveryIndexPointsAtItsOwnText()
    {
        var a = "payload=a";
        var b = "{\"b\": 1}";
        var c = "third";
        string[] bodies = [a, b, new string(a.AsSpan()), c, b, new string(c.AsSpan())];

        var (distinct, indexOf) = RequestBodies.Of(bodies);

        Assert.Equal(3, distinct.Count);
        Assert.Equal(distinct.Select(d => d.Digest).Order(StringComparer.Ordinal), distinct.Select(d => d.Digest));
        Assert.All(distinct, d => Assert.Equal(RequestBodies.Digest(d.Body), d.Digest));
        Assert.Equal(bodies, indexOf.Select(i => distinct[i].Body));
    }

    [Fact]
    public void Of_NoBodies_IsEmpty()
    {
        var (distinct, indexOf) = RequestBodies.Of([]);

        Assert.Empty(distinct);
        Assert.Empty(indexOf);
    }
}
