using Posthorn.Web.Pages.Shared;

namespace Posthorn.Tests.Web.Pages;

public sealed class LocalUrlTests
{
    [Theory]
    [InlineData("/alice/repo?tab=1", "/alice/repo?tab=1")]
    [InlineData("/é", "/%C3%A9")]
    [InlineData("/a b", "/a b")]
    [InlineData("/x\u0001", "/x%01")]
    [InlineData("/😀", "/%F0%9F%98%80")]
    public void ForLocation_PercentEncodesWhatAHeaderCannotCarry(string url, string expected) => Assert.Equal(expected, LocalUrl.ForLocation(url));

    [Fact]
    public void ForLocation_LeavesOnlyAscii() => Assert.All(LocalUrl.ForLocation("/ünïcødé/\u2028/\uD800"), c => Assert.InRange(c, ' ', '~'));
}
