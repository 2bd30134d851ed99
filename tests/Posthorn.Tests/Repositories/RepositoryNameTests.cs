using Posthorn.Core.Repositories;

namespace Posthorn.Tests.Repositories;

public sealed class RepositoryNameTests
{
    // .NET's "$" matches before a final "\n": "nl\n" once passed and became a folder "nl\n.git".
    [Theory]
    [InlineData("nl\n")]
    [InlineData("nl\r\n")]
    [InlineData("nl\n\n")]
    [InlineData("\nnl")]
    [InlineData("")]
    [InlineData(".git")]
    [InlineData("a..b")]
    [InlineData("x.git")]
    public void IsValidSlug_RefusesNewlinesAndPathTricks(string slug) => Assert.False(RepositoryName.IsValidSlug(slug));

    [Theory]
    [InlineData("alice\n")]
    [InlineData("alice\r")]
    [InlineData("Alice")]
    [InlineData("a.b")]
    [InlineData("")]
    public void IsValidUsername_RefusesNewlinesAndOtherAlphabets(string username) => Assert.False(RepositoryName.IsValidUsername(username));

    [Fact]
    public void IsValidUsername_RefusesAnythingLongerThanTheMaximum()
    {
        Assert.True(RepositoryName.IsValidUsername(new string('a', RepositoryName.MaxUsernameLength)));
        Assert.False(RepositoryName.IsValidUsername(new string('a', RepositoryName.MaxUsernameLength + 1)));
        Assert.False(RepositoryName.IsValidUsername(new string('a', 20_000)));
    }

    [Fact]
    public void ParseFullName_RefusesATrailingNewline() => Assert.Null(RepositoryName.ParseFullName("alice/repo\n"));

    [Theory]
    [InlineData("alice")]
    [InlineData("a-b_c")]
    public void IsValidUsername_AcceptsTheRule(string username) => Assert.True(RepositoryName.IsValidUsername(username));
}
