using Posthorn.Storage.Sql;

namespace Posthorn.Tests.Storage;

/// <summary>The claim's memo of push payloads: found by push id, bounded by the characters it holds.</summary>
public sealed class PushPayloadsTests
{
    [Fact]
    public void Find_KeptPayloads_AreTheSameInstances_AndTheOthersAreMissing()
    {
        var memo = new PushPayloads(maxChars: 100);
        var payload = "{\"a\": 1}";
        memo.Keep(1, payload);

        var missing = new List<long>();
        var found = memo.Find([1, 2], missing);

        Assert.Same(payload, found[1]);
        Assert.Equal([2L], missing);
    }

    [Fact]
    public void Keep_BeyondTheBound_StartsOver_AndAPayloadLargerThanTheBoundIsNotKept()
    {
        var memo = new PushPayloads(maxChars: 10);
        memo.Keep(1, "123456");
        memo.Keep(2, "123456"); // 12 characters would exceed 10: push 1 is let go
        memo.Keep(3, new string('x', 11));

        var missing = new List<long>();
        var found = memo.Find([1, 2, 3], missing);

        Assert.Equal([2L], found.Keys);
        Assert.Equal([1L, 3L], missing);
    }
}
