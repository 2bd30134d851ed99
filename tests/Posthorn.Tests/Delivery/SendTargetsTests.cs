using Posthorn.Delivery.Sending;

namespace Posthorn.Tests.Delivery;

/// <summary>The sender's per-target memo gives what deriving it each time gave, once per target.</summary>
public sealed class SendTargetsTests
{
    [Fact]
    public void SameTarget_IsDerivedOnce_AndKeepsCredentialsOffTheWireAndOutOfTheLog()
    {
        var targets = new SendTargets();
        const string url = "https://ci:s3cret@ci.example.com/hook?x=1";

        var first = targets.For(url, url);

        Assert.Same(first, targets.For(url, url));
        Assert.Equal(("https://ci:***@ci.example.com/hook?x=1", "https://ci.example.com/hook?x=1", "ci:s3cret"),
            (first.Masked, first.OnTheWire!.AbsoluteUri, first.Url!.UserInfo));
        Assert.Null(first.Invalid);
    }

    [Fact]
    public void ExpandedTargets_AreTheirOwnEntries_AndABadTemplateIsRefusedWithItsReason()
    {
        var targets = new SendTargets();
        const string template = "https://ci.example.com/hook/${branch}";

        var main = targets.For(template, "https://ci.example.com/hook/main");
        var dev = targets.For(template, "https://ci.example.com/hook/dev");
        var hostile = targets.For("https://${branch}.example.com/hook", "https://evil.example.com/hook");

        Assert.Equal(("https://ci.example.com/hook/main", "https://ci.example.com/hook/dev"), (main.OnTheWire!.AbsoluteUri, dev.OnTheWire!.AbsoluteUri));
        Assert.NotNull(hostile.Invalid);
        Assert.Null(hostile.OnTheWire);
        Assert.Equal("https://evil.example.com/hook", hostile.Masked);
    }
}
