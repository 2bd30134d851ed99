using Posthorn.Core;
using Posthorn.Core.PostServices;

namespace Posthorn.Tests.PostServices;

public sealed class BranchFilterTests
{
    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "main2", false)]
    [InlineData("release/*", "release/1.0", true)]
    [InlineData("release/*", "release/1.0/hotfix", false)]
    [InlineData("release/**", "release/1.0/hotfix", true)]
    [InlineData("feat?", "feat1", true)]
    [InlineData("feat?", "feat/", false)]
    [InlineData("v1.0", "v1x0", false)] // '.' is a character, not a wildcard
    [InlineData("Main", "main", false)] // git branch names are case-sensitive
    public void Matches_GlobsAsDocumented(string glob, string branch, bool expected) =>
        Assert.Equal(expected, BranchFilter.Of([glob]).Matches(branch));

    [Fact]
    public void Empty_MatchesEverything_SeveralPatterns_MatchAny()
    {
        Assert.True(BranchFilter.Of([]).Matches("anything/at/all"));
        var filter = BranchFilter.Of(["main", "release/*"]);
        Assert.True(filter.Matches("main") && filter.Matches("release/2"));
        Assert.False(filter.Matches("feature/x"));
    }

    [Fact]
    public void Normalize_TrimsDropsRefsHeadsAndDuplicates_RefusesNonsense()
    {
        Assert.Equal(["main", "release/*"], BranchFilter.Normalize([" main ", "refs/heads/main", "release/*", ""]));
        Assert.Equal("branches", Assert.Throws<ValidationException>(() => BranchFilter.Normalize(["bad name"])).Field);
        Assert.Throws<ValidationException>(() => BranchFilter.Normalize(Enumerable.Range(0, 51).Select(i => "b" + i)));
    }
}
