using Posthorn.Storage.Sql;

namespace Posthorn.Tests.Storage;

/// <summary>The parameter names built once per process read exactly as the concatenations they replace, kept or not.</summary>
public sealed class ParameterNamesTests
{
    [Theory]
    [InlineData("@id", 0, true)]
    [InlineData("@id", 9, true)]
    [InlineData("@s", 255, true)]
    [InlineData("@s", 256, false)]
    [InlineData("@full", 10_000, false)]
    public void Of_ANumber_IsThePrefixFollowedByIt_KeptUpToTheBound(string prefix, int number, bool kept)
    {
        Assert.Equal(prefix + number, ParameterNames.Of(prefix, number));
        Assert.Equal(kept, ReferenceEquals(ParameterNames.Of(prefix, number), ParameterNames.Of(prefix, number)));
    }

    [Fact]
    public void Of_NoNumber_IsThePrefixAlone() => Assert.Equal("@node", ParameterNames.Of("@node", null));

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "@p0")]
    [InlineData(3, "@p0, @p1, @p2")]
    public void List_JoinsTheNumberedNames(int count, string expected) => Assert.Equal(expected, ParameterNames.List("@p", count));

    [Fact]
    public void List_BeyondTheKeptLengths_IsStillComplete() =>
        Assert.Equal(string.Join(", ", Enumerable.Range(0, 1024).Select(i => "@id" + i)), ParameterNames.List("@id", 1024));
}
