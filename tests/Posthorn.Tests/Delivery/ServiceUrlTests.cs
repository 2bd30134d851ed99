using Posthorn.Core.PostServices;

namespace Posthorn.Tests.Delivery;

public sealed class ServiceUrlTests
{
    [Theory]
    [InlineData("https://ci.example.com/hook")]
    [InlineData("http://user:pass@ci.example.com:8080/hook?branch=${branch}")]
    [InlineData("https://ci.example.com/hook?path=C:\\builds")] // a backslash in the query is the receiver's business
    public void Validate_GoodUrls_ReturnsNull(string url) => Assert.Null(ServiceUrl.Validate(url));

    [Theory]
    [InlineData("", "required")]
    [InlineData("ci.example.com/hook", "absolute")]
    [InlineData("/hook", "http")] // on Unix "/hook" parses as file:///hook
    [InlineData("ftp://ci.example.com/", "http")]
    [InlineData("file:///etc/passwd", "http")]
    [InlineData("https://ci.example.com/hook#x", "fragment")]
    [InlineData("http:/\\jx:pw@127.0.0.1:5392/c", "backslash")] // .NET reads it as http://jx:pw@…, a masker looking for "://" did not
    [InlineData("http:\\/jx:pw@ci.example.com/c", "backslash")]
    [InlineData("https:\\\\ci.example.com/c", "backslash")]
    [InlineData("https://ci.example.com/a\\b", "backslash")]
    public void Validate_BadUrls_ExplainsWhy(string url, string expected) =>
        Assert.Contains(expected, ServiceUrl.Validate(url), StringComparison.OrdinalIgnoreCase);

    [Theory]
    [InlineData("https://alice:s3cret@ci.example.com/x", "https://alice:***@ci.example.com/x")]
    [InlineData("https://tok3n@ci.example.com/x", "https://***@ci.example.com/x")]
    [InlineData("https://ci.example.com/x?a=b@c", "https://ci.example.com/x?a=b@c")]
    [InlineData("not a url alice:pw@host", "not a url alice:***@host")] // even garbage never leaks a password
    [InlineData("https://a:b:c@h/", "https://a:***@h/")]
    [InlineData("http:/\\jx:PW3@127.0.0.1:5392/c", "http:/\\jx:***@127.0.0.1:5392/c")] // spellings only .NET reads (saved before they were refused)
    [InlineData("http:\\/jx:PW@h/c", "http:\\/jx:***@h/c")]
    [InlineData("HTTPS:\\\\tok3n@h\\c", "HTTPS:\\\\***@h\\c")]
    [InlineData("//alice:pw@h/x", "//alice:***@h/x")]
    public void Mask_HidesPasswords(string url, string expected) => Assert.Equal(expected, ServiceUrl.Mask(url));

    [Theory]
    [InlineData("https://ci.example.com/job/x/build?token=QUERYTOKEN123", "https://ci.example.com/job/x/build?token=***")] // Jenkins' remote trigger
    [InlineData("https://jenkins:pw@h/build?job=x&token=t0k&cause=push", "https://jenkins:***@h/build?job=x&token=***&cause=push")]
    [InlineData("https://h/?api_key=1&apiKey=2&X-Api-Key=3&private_token=4&client_secret=5&sig=6&password=7",
        "https://h/?api_key=***&apiKey=***&X-Api-Key=***&private_token=***&client_secret=***&sig=***&password=***")]
    [InlineData("https://h/?branch=main&author=me&job=build&monkey=1", "https://h/?branch=main&author=me&job=build&monkey=***")] // towards masking: "…key"
    [InlineData("https://h/?token=${commit}&key=${branch}-x", "https://h/?token=${commit}&key=***")] // a placeholder alone is push data
    [InlineData("https://h/?token=&flag&access%5Ftoken=z", "https://h/?token=&flag&access%5Ftoken=***")] // empty and encoded names
    [InlineData("https://h/x?token=s#frag", "https://h/x?token=***#frag")]
    public void Mask_HidesCredentialQueryValues(string url, string expected) => Assert.Equal(expected, ServiceUrl.Mask(url));

    [Fact]
    public void Mask_OfAUrlWithNoSecret_IsTheUrl_SoTheEditFormShowsIt()
    {
        const string url = "https://ci.example.com/job/build?branch=${branch}&cause=push";
        Assert.Same(url, ServiceUrl.Mask(url));
    }

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
