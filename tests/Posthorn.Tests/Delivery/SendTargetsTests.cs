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

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData(".%2E")]
    [InlineData("x%2F..")] // an hg branch "x/..", escaped: a receiver that decodes %2F first reads x/..
    [InlineData("..%2Fx")]
    public void APlaceholderValueThatIsADotSegment_IsRefused_RatherThanSentToAnotherPath(string value)
    {
        // A Mercurial branch may be named "..": /job/../build would POST to /build with the URL's credentials.
        var target = new SendTargets().For("https://ci:pw@ci.example.com/job/${branch}/build", $"https://ci:pw@ci.example.com/job/{value}/build");

        Assert.Null(target.OnTheWire);
        Assert.Contains("another path", target.Invalid, StringComparison.Ordinal);
        Assert.Equal($"https://ci:***@ci.example.com/job/{value}/build", target.Masked);
    }

    [Theory]
    [InlineData("https://h/job/${branch}/build", "https://h/job/..x/build")]
    [InlineData("https://h/job/${branch}/build", "https://h/job/x%2F...y/build")]
    [InlineData("https://h/job/x${branch}/build", "https://h/job/x../build")]
    [InlineData("https://h/job/build?b=${branch}", "https://h/job/build?b=..")]
    [InlineData("https://h/job/${branch}/build", "https://h/job/%252E%252E/build")] // a branch named "%2E%2E", escaped: not dots
    public void OtherPlaceholderValues_WithDots_AreSent(string template, string target)
    {
        var sent = new SendTargets().For(template, target);

        Assert.Null(sent.Invalid);
        Assert.NotNull(sent.OnTheWire);
    }
}
