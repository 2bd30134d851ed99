using Posthorn.Core.PostServices;

namespace Posthorn.Tests.Delivery;

public sealed class ServiceUrlTests
{
    [Theory]
    [InlineData("https://ci.example.com/hook")]
    [InlineData("http://user:pass@ci.example.com:8080/hook?branch=${branch}")]
    public void Validate_GoodUrls_ReturnsNull(string url) => Assert.Null(ServiceUrl.Validate(url));

    [Theory]
    [InlineData("", "required")]
    [InlineData("ci.example.com/hook", "absolute")]
    [InlineData("/hook", "http")] // on Unix "/hook" parses as file:///hook
    [InlineData("ftp://ci.example.com/", "http")]
    [InlineData("file:///etc/passwd", "http")]
    [InlineData("https://ci.example.com/hook#x", "fragment")]
    public void Validate_BadUrls_ExplainsWhy(string url, string expected) =>
        Assert.Contains(expected, ServiceUrl.Validate(url), StringComparison.OrdinalIgnoreCase);

    [Theory]
    [InlineData("https://alice:s3cret@ci.example.com/x", "https://alice:***@ci.example.com/x")]
    [InlineData("https://tok3n@ci.example.com/x", "https://***@ci.example.com/x")]
    [InlineData("https://ci.example.com/x?a=b@c", "https://ci.example.com/x?a=b@c")]
    [InlineData("not a url alice:pw@host", "not a url alice:***@host")] // even garbage never leaks a password
    [InlineData("https://a:b:c@h/", "https://a:***@h/")]
    public void Mask_HidesPasswords(string url, string expected) => Assert.Equal(expected, ServiceUrl.Mask(url));

    [Fact]
    public void Credentials_PercentEncoded_AreDecoded()
    {
        var credentials = ServiceUrl.Credentials(new Uri("https://al%20ice:p%40ss%3Aword@h/"));
        Assert.Equal(("al ice", "p@ss:word"), credentials);
    }

    [Fact]
    public void Credentials_None_ReturnsNull() => Assert.Null(ServiceUrl.Credentials(new Uri("https://h/")));

    [Fact]
    public void WithoutCredentials_StripsUserInfoKeepsTheRest() =>
        Assert.Equal("https://h:8443/p?q=1", ServiceUrl.WithoutCredentials(new Uri("https://u:p@h:8443/p?q=1")).ToString());
}
