using System.Text;
using Posthorn.Git.Refs;

namespace Posthorn.Tests.Git.Refs;

/// <summary>Object ids as git writes them: lowercase hex only, 40 digits for a SHA-1 id read from a file, any length off the wire.</summary>
public sealed class ObjectIdTextTests
{
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("0123456789ABCDEF0123456789abcdef01234567", false)] // git never writes upper case
    [InlineData("0123456789abcdef0123456789abcdef0123456", false)] // 39 digits
    [InlineData("0123456789abcdef0123456789abcdef012345678", false)] // 41 digits
    [InlineData("0123456789abcdef0123456789abcdef0123456g", false)]
    [InlineData("", false)]
    public void IsObjectId_FortyLowercaseHexDigitsOnly(string text, bool expected) => Assert.Equal(expected, RefName.IsObjectId(text));

    [Theory]
    [InlineData("0123456789abcdef", true)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)] // SHA-256
    [InlineData("", true)]
    [InlineData("00000000000000000000000000000000000000A0", false)]
    [InlineData("0000 000", false)]
    [InlineData("00000000000000000000000000000000000000\u00e90", false)]
    public void IsLowerHex_OnlyLowercaseHexBytes(string text, bool expected) => Assert.Equal(expected, RefName.IsLowerHex(Encoding.UTF8.GetBytes(text)));
}
